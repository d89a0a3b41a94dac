using Microsoft.Extensions.Primitives;

namespace SessionKit.Cookies;

/// <summary>
/// Reads one cookie by its exact, case-sensitive name from the raw <c>Cookie</c> header(s). ASP.NET Core's request cookie
/// collection matches names without regard to case and keeps the last of several cookies of one name, so a
/// <c>__host-session</c> planted by a sibling subdomain could swap or shadow <c>__Host-session</c>; this reader
/// ignores every other name and reports a repeated one instead of choosing.
/// </summary>
internal static class SessionCookieReader
{
    /// <summary>Finds <paramref name="name"/> in the request's cookie headers (HTTP/2 clients may send several).</summary>
    /// <param name="headers">The <c>Cookie</c> header values.</param>
    /// <param name="name">The cookie name, compared ordinally.</param>
    /// <returns>The value when the name occurs once; <see cref="CookieLookup.Duplicate"/> when more than once.</returns>
    public static CookieLookup Find(StringValues headers, string name)
    {
        string? value = null;
        var count = 0;
        foreach (var header in headers)
        {
            var rest = header.AsSpan();
            while (!rest.IsEmpty)
            {
                // RFC 6265 §4.2.1: cookie-pairs separated by ";" and optional whitespace.
                var separator = rest.IndexOf(';');
                var pair = (separator < 0 ? rest : rest[..separator]).Trim(" \t");
                rest = separator < 0 ? default : rest[(separator + 1)..];
                var equals = pair.IndexOf('=');
                if (equals < 0 || !pair[..equals].TrimEnd(" \t").SequenceEqual(name))
                {
                    continue;
                }

                if (++count == 1)
                {
                    value = pair[(equals + 1)..].TrimStart(" \t").ToString();
                }
            }
        }

        return count switch
        {
            0 => CookieLookup.Absent,
            1 => new CookieLookup(value, IsDuplicate: false),
            _ => CookieLookup.Duplicate,
        };
    }
}
