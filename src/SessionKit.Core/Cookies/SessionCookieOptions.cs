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

    /// <summary>Creates the options with their defaults.</summary>
    public SessionCookieOptions() => Events = new SessionCookieEvents();

    /// <summary>
    /// How the cookie is written. Defaults: name <c>__Host-session</c>, <c>Secure</c> always, <c>HttpOnly</c>,
    /// <c>SameSite=Lax</c>, <c>Path=/</c>, no <c>Domain</c>, no expiry (a browser-session cookie; the server enforces
    /// the idle and absolute expiry). Outside Development, start-up fails unless <c>SecurePolicy</c> is
    /// <see cref="CookieSecurePolicy.Always"/>. The cookie is read by this exact, case-sensitive name only; a request
    /// that carries it twice is refused.
    /// </summary>
    public CookieBuilder Cookie
    {
        get => _cookie;
        set => _cookie = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The scheme's callbacks. Defaults to a <see cref="SessionCookieEvents"/> whose callbacks do nothing.</summary>
    public new SessionCookieEvents Events
    {
        get => (SessionCookieEvents)base.Events!;
        set => base.Events = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Whether unsafe requests (any method but GET, HEAD, OPTIONS and TRACE) authenticated by the cookie must come from
    /// this app's own origin or one of <see cref="AllowedOrigins"/>: such a request whose <c>Sec-Fetch-Site</c> is
    /// <c>cross-site</c>, or whose <c>Origin</c> is another origin (a sibling subdomain included, which
    /// <c>SameSite=Lax</c> lets through) or <c>null</c>, is answered 403 and never authenticated. A request with neither
    /// header (curl, a server-to-server call) is not affected. The app's own origin is the request's scheme, host and
    /// port as ASP.NET Core sees them — behind a TLS-terminating proxy, run the forwarded-headers middleware first.
    /// Set to <see langword="false"/> only when the app protects such requests itself (for example with antiforgery
    /// tokens). Defaults to <see langword="true"/>.
    /// </summary>
    public bool RefuseCrossOriginRequests { get; set; } = true;

    /// <summary>
    /// Other origins (<c>https://app.example.com</c>, <c>https://example.com:8443</c>: scheme, host and port, no path)
    /// whose unsafe cookie-authenticated requests are accepted. Checked at start-up. Empty by default.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();

    /// <summary>
    /// Where HTML page navigations (GET or HEAD, <c>Accept: text/html</c>, not a script's request) that need a signed-in
    /// user are redirected, with the page's local URL in <see cref="ReturnUrlParameter"/>. Other requests keep their 401
    /// problem details, and a store outage answers 503 to pages too. Empty (no redirect) by default.
    /// </summary>
    public PathString LoginPath { get; set; }

    /// <summary>
    /// Where HTML page navigations are redirected when the signed-in user lacks a permission, with the page's local URL
    /// in <see cref="ReturnUrlParameter"/>; other requests keep their 403 problem details. Empty (no redirect) by default.
    /// </summary>
    public PathString AccessDeniedPath { get; set; }

    /// <summary>
    /// The query parameter that carries the page's URL to <see cref="LoginPath"/> and <see cref="AccessDeniedPath"/>; it
    /// is always a local URL. Defaults to <see cref="SessionCookieDefaults.ReturnUrlParameter"/> (<c>ReturnUrl</c>).
    /// </summary>
    public string ReturnUrlParameter { get; set; } = SessionCookieDefaults.ReturnUrlParameter;

    /// <summary><see cref="AllowedOrigins"/> normalised (lower case, explicit port), built by the post-configure step.</summary>
    internal IReadOnlySet<string> NormalizedAllowedOrigins { get; set; } = new HashSet<string>(StringComparer.Ordinal);
}
