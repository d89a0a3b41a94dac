using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SessionKit.Jwt;

/// <summary>
/// Moves the <c>access_token</c> query parameter of requests on the configured paths into a request feature before the
/// <see cref="HttpContext"/> exists. ASP.NET Core's hosting layer logs every request's URL ("Request starting …") as soon
/// as the context is created, before any middleware runs, so this is the last point where a token in the URL can be
/// kept out of logs, traces and app code.
/// </summary>
/// <remarks>
/// Registered in place of the app's <see cref="IHttpContextFactory"/> only when a session-over-JWT scheme has
/// <see cref="SessionOverJwtOptions.QueryStringTokenPaths"/>; without it the framework keeps its own, pooling factory.
/// </remarks>
internal sealed class QueryStringTokenHttpContextFactory(IHttpContextFactory inner, PathString[] paths) : IHttpContextFactory
{
    public const string Parameter = "access_token";

    public IReadOnlyList<PathString> Paths => paths;

    public HttpContext Create(IFeatureCollection featureCollection)
    {
        ArgumentNullException.ThrowIfNull(featureCollection);
        QueryStringTokenFeature? token = null;
        if (featureCollection.Get<IHttpRequestFeature>() is { } request
            && request.QueryString.Length > 1
            && IsTokenPath(paths, new PathString(request.PathBase) + new PathString(request.Path)))
        {
            token = Extract(request);
        }

        // Servers reuse feature collections across requests: never leave a previous request's token behind.
        featureCollection.Set(token);
        return inner.Create(featureCollection);
    }

    public void Dispose(HttpContext httpContext) => inner.Dispose(httpContext);

    /// <summary>Whether <paramref name="path"/> (the path as received, before <c>UsePathBase</c>) is under one of <paramref name="prefixes"/>.</summary>
    public static bool IsTokenPath(IList<PathString> prefixes, PathString path)
    {
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (path.StartsWithSegments(prefixes[i], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static QueryStringTokenFeature? Extract(IHttpRequestFeature request)
    {
        var kept = new List<string>();
        string? first = null;
        var count = 0;
        foreach (var pair in request.QueryString.TrimStart('?').Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            if (!string.Equals(name, Parameter, StringComparison.Ordinal))
            {
                if (pair.Length > 0)
                {
                    kept.Add(pair);
                }

                continue;
            }

            count++;
            first ??= equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
        }

        if (count == 0)
        {
            return null; // the name was only part of another parameter or value
        }

        var query = kept.Count == 0 ? string.Empty : "?" + string.Join('&', kept);
        request.QueryString = query;
        var questionMark = request.RawTarget.IndexOf('?', StringComparison.Ordinal);
        if (questionMark >= 0)
        {
            request.RawTarget = request.RawTarget[..questionMark] + query;
        }

        return new QueryStringTokenFeature(first!, count);
    }

    private static string Decode(string component)
    {
        try
        {
            return Uri.UnescapeDataString(component.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return component;
        }
    }
}
