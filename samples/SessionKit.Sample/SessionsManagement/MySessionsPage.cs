namespace SessionKit.Sample.SessionsManagement;

/// <summary>
/// The "My sessions" page at <c>/</c>: static files from <c>wwwroot</c> (<c>index.html</c>, its script and style sheet)
/// that call the JSON endpoints of <see cref="MySessionsEndpoints"/> and the cookie sign-in from the same origin. The
/// page shows what other clients sent (user agents), so every file goes out with a Content-Security-Policy that allows
/// only the app's own script, styles and requests, and with <c>nosniff</c>.
/// </summary>
internal static class MySessionsPage
{
    /// <summary>
    /// Nothing by default; the app's own script, styles, images and API calls; forms post only here; no &lt;base&gt;; never
    /// framed (no clickjacking of the revoke buttons).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseMySessionsPage(this IApplicationBuilder app)
        => app.UseDefaultFiles().UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file =>
            {
                var headers = file.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // Revalidate every time: a changed script never meets a stale page (the files are small; ETags make it cheap).
                headers.CacheControl = "no-cache";
            },
        });
}
