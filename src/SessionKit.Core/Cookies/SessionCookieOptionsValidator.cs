using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SessionKit.Cookies;

/// <summary>Refuses insecure or self-contradicting cookie settings at start-up, with messages that say how to fix them.</summary>
/// <remarks>Without an <see cref="IHostEnvironment"/> (a plain service container) the environment counts as not Development.</remarks>
internal sealed class SessionCookieOptionsValidator(IHostEnvironment? environment) : IValidateOptions<SessionCookieOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionCookieOptions options)
    {
        var cookie = options.Cookie;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(cookie.Name))
        {
            failures.Add($"The session cookie of scheme '{name}' needs a name; the default is '{SessionCookieDefaults.CookieName}'.");
        }

        if (cookie.SecurePolicy != CookieSecurePolicy.Always && environment?.IsDevelopment() != true)
        {
            failures.Add($"The session cookie of scheme '{name}' must be Secure outside Development (environment '{environment?.EnvironmentName ?? "none registered"}'): set Cookie.SecurePolicy = CookieSecurePolicy.Always (the default) and serve the app over HTTPS.");
        }

        if (cookie.Name?.StartsWith("__Host-", StringComparison.Ordinal) == true
            && (cookie.SecurePolicy != CookieSecurePolicy.Always || cookie.Path != "/" || cookie.Domain is not null))
        {
            failures.Add($"The cookie name '{cookie.Name}' has the __Host- prefix, which browsers accept only with Secure, Path=/ and no Domain: keep those defaults, or choose a name without the prefix (for plain-HTTP development only).");
        }

        if (cookie.Name?.StartsWith("__Secure-", StringComparison.Ordinal) == true && cookie.SecurePolicy != CookieSecurePolicy.Always)
        {
            failures.Add($"The cookie name '{cookie.Name}' has the __Secure- prefix, which browsers accept only with Secure: set Cookie.SecurePolicy = CookieSecurePolicy.Always.");
        }

        if (cookie.Expiration is not null)
        {
            failures.Add("Cookie.Expiration is ignored: the server enforces SessionKitOptions.IdleTimeout and AbsoluteLifetime; set AuthenticationProperties.IsPersistent at sign-in for a cookie that outlives the browser session.");
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (RequestOrigins.Normalize(origin) is null)
            {
                failures.Add($"AllowedOrigins of scheme '{name}' holds '{origin}', which is not an origin: write scheme, host and port only, for example \"https://app.example.com\" or \"https://example.com:8443\".");
            }
        }

        CheckLocalPath(name, nameof(options.LoginPath), options.LoginPath, failures);
        CheckLocalPath(name, nameof(options.AccessDeniedPath), options.AccessDeniedPath, failures);
        if ((options.LoginPath.HasValue || options.AccessDeniedPath.HasValue) && string.IsNullOrWhiteSpace(options.ReturnUrlParameter))
        {
            failures.Add($"ReturnUrlParameter of scheme '{name}' is empty; the default is '{SessionCookieDefaults.ReturnUrlParameter}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // A path starting with "//" or "/\" would redirect browsers to another host.
    private static void CheckLocalPath(string? name, string option, PathString path, List<string> failures)
    {
        if (path.HasValue && !PageNavigation.IsLocal(path.Value!))
        {
            failures.Add($"{option} of scheme '{name}' is '{path}', which browsers would read as another host; use a path of this app such as \"/account/login\".");
        }
    }
}
