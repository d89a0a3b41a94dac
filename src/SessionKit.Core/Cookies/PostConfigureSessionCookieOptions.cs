using Microsoft.Extensions.Options;

namespace SessionKit.Cookies;

/// <summary>
/// Normalises <see cref="SessionCookieOptions.AllowedOrigins"/> once, so that requests compare one string. Never throws:
/// <see cref="SessionCookieOptionsValidator"/> reports entries that are not origins.
/// </summary>
internal sealed class PostConfigureSessionCookieOptions : IPostConfigureOptions<SessionCookieOptions>
{
    public void PostConfigure(string? name, SessionCookieOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.NormalizedAllowedOrigins = new HashSet<string>(
            options.AllowedOrigins.Select(RequestOrigins.Normalize).OfType<string>(), StringComparer.Ordinal);
    }
}
