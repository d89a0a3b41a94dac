using System.Buffers;
using System.Text;

namespace SessionKit;

/// <summary>
/// Makes client metadata safe to store in every store: well-formed UTF-16 (a lone surrogate becomes U+FFFD, which any
/// encoder accepts) and a user agent cut to its maximum length on a character boundary, never inside a surrogate pair.
/// </summary>
internal static class SessionClientText
{
    public static SessionClientInfo Clean(SessionClientInfo client, int maxUserAgentLength)
    {
        var agent = client.UserAgent is { } value ? Truncate(WellFormed(value), maxUserAgentLength) : null;
        var ip = client.IpAddress is { } address ? WellFormed(address) : null;
        return ReferenceEquals(agent, client.UserAgent) && ReferenceEquals(ip, client.IpAddress) ? client : new SessionClientInfo(ip, agent);
    }

    internal static string Truncate(string value, int maxLength)
    {
        if (value.Length <= maxLength)
        {
            return value;
        }

        var cut = maxLength;
        if (cut > 0 && char.IsHighSurrogate(value[cut - 1]))
        {
            cut--;
        }

        return value[..cut];
    }

    internal static string WellFormed(string value)
    {
        if (!value.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length;)
        {
            var status = Rune.DecodeFromUtf16(value.AsSpan(i), out _, out var consumed);
            consumed = Math.Max(consumed, 1);
            if (status == OperationStatus.Done)
            {
                builder.Append(value, i, consumed);
            }
            else
            {
                builder.Append('\uFFFD');
            }

            i += consumed;
        }

        return builder.ToString();
    }
}
