using Microsoft.AspNetCore.Http;

namespace SessionKit.Cookies;

/// <summary>
/// The cross-origin check of the cookie scheme (Fetch Metadata and <c>Origin</c>). <c>SameSite=Lax</c> keeps the
/// cookie off cross-site sub-requests, but a sibling subdomain is the same site: only the origin tells it apart.
/// </summary>
internal static class RequestOrigins
{
    /// <summary>Whether an unsafe, cookie-authenticated request may proceed under <paramref name="options"/>.</summary>
    public static bool IsAllowed(HttpRequest request, SessionCookieOptions options)
    {
        if (!options.RefuseCrossOriginRequests || IsSafeMethod(request.Method))
        {
            return true;
        }

        var origins = request.Headers.Origin;
        var sites = request.Headers["Sec-Fetch-Site"];
        if (origins.Count > 1 || sites.Count > 1)
        {
            return false; // browsers send each once; two values are a forgery or a broken proxy
        }

        var site = sites.Count == 1 ? sites[0] : null;
        if (origins.Count == 0)
        {
            // No Origin: curl, server-to-server calls and old browsers' same-origin requests. A browser that says the
            // request is cross-site (or same-site, that is from a sibling we cannot name) is refused.
            return site is not ("cross-site" or "same-site");
        }

        // "null" (sandboxed frames, some redirects) and anything that is not an http(s) origin normalise to null.
        var origin = Normalize(origins[0]);
        if (origin is null)
        {
            return false;
        }

        if (options.NormalizedAllowedOrigins.Contains(origin))
        {
            return true;
        }

        return site != "cross-site" && string.Equals(origin, Own(request), StringComparison.Ordinal);
    }

    /// <summary><c>scheme://host:port</c> in lower case with an explicit port, or <see langword="null"/> when not an http(s) origin.</summary>
    public static string? Normalize(string? origin)
    {
        if (string.IsNullOrEmpty(origin)
            || !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{uri.Scheme}://{uri.IdnHost.ToLowerInvariant()}:{uri.Port}");
    }

    // The origin as ASP.NET Core sees the request: after UseForwardedHeaders, the proxy's scheme and host.
    private static string Own(HttpRequest request)
    {
        var scheme = request.Scheme.ToLowerInvariant();
        var port = request.Host.Port ?? (scheme == "https" ? 443 : 80);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{scheme}://{request.Host.Host.ToLowerInvariant()}:{port}");
    }

    // RFC 9110 §9.2.1.
    private static bool IsSafeMethod(string method)
        => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
}
