using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Cookies;

/// <summary>Options of the SessionKit cookie scheme: an opaque session id in a cookie, the session in the store.</summary>
public sealed class SessionCookieOptions : AuthenticationSchemeOptions
{
    private CookieBuilder _cookie = new()
    {
        Name = SessionCookieDefaults.CookieName,
        HttpOnly = true,
        SecurePolicy = CookieSecurePolicy.Always,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
    };

    /// <summary>
    /// How the cookie is written. Defaults: name <c>__Host-session</c>, <c>Secure</c> always, <c>HttpOnly</c>,
    /// <c>SameSite=Lax</c>, <c>Path=/</c>, no <c>Domain</c>, no expiry (a browser-session cookie; the server enforces
    /// the idle and absolute expiry). Outside Development, start-up fails unless <c>SecurePolicy</c> is
    /// <see cref="CookieSecurePolicy.Always"/>.
    /// </summary>
    public CookieBuilder Cookie
    {
        get => _cookie;
        set => _cookie = value ?? throw new ArgumentNullException(nameof(value));
    }
}
