namespace SessionKit.Cookies;

/// <summary>Default values of the SessionKit cookie scheme.</summary>
public static class SessionCookieDefaults
{
    /// <summary>The default scheme name: <c>SessionCookie</c>.</summary>
    public const string AuthenticationScheme = "SessionCookie";

    /// <summary>
    /// The default cookie name: <c>__Host-session</c>. The <c>__Host-</c> prefix makes browsers refuse the cookie
    /// unless it is Secure, has <c>Path=/</c> and no <c>Domain</c>, so a sibling subdomain cannot plant or overwrite it.
    /// </summary>
    public const string CookieName = "__Host-session";

    /// <summary>The default query parameter that carries the return URL to the login and access-denied pages: <c>ReturnUrl</c>.</summary>
    public const string ReturnUrlParameter = "ReturnUrl";
}
