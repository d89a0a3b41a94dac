using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SessionKit.Cookies;

/// <summary>
/// Tells a browser's page navigation from a script's or an API client's request, so that only pages are redirected to
/// the login or access-denied page; everything else keeps a status code it can act on.
/// </summary>
internal static class PageNavigation
{
    public static bool IsHtmlNavigation(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        if (string.Equals(request.Headers.XRequestedWith, "XMLHttpRequest", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Browsers that send Fetch Metadata say "navigate" for page loads and "cors"/"same-origin"/… for fetch() and XHR.
        var mode = request.Headers["Sec-Fetch-Mode"];
        if (mode.Count > 0 && !string.Equals(mode.ToString(), "navigate", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
            && accepted.Any(static type => type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && type.Quality != 0);
    }

    /// <summary>
    /// The app-relative location of <paramref name="target"/> with the current page as return URL — left out when the page's
    /// own URL would not be local (a path starting with <c>//</c> reads as another host to many login pages).
    /// </summary>
    public static string RedirectUri(HttpRequest request, PathString target, string returnUrlParameter)
    {
        var location = (request.PathBase + target).ToUriComponent();
        var returnUrl = request.PathBase + request.Path + request.QueryString;
        return IsLocal(returnUrl) ? location + QueryString.Create(returnUrlParameter, returnUrl).ToUriComponent() : location;
    }

    /// <summary>Whether a URL stays on this host: a path from the root, not <c>//host</c> or <c>/\host</c>.</summary>
    public static bool IsLocal(string url)
        => url.Length > 0 && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
