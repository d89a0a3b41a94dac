using System.Net;

namespace SessionKit.Sample.Tests;

/// <summary>
/// The "My sessions" page's files as served: the policy headers on each of them, and a page and script that keep to
/// what the policy allows (no inline script or style) and never turn server data into HTML. Its behaviour in a browser
/// is tested in Chromium by tests/SessionKit.Sample.BrowserTests.
/// </summary>
public sealed class MySessionsPageTests(SampleAppFactory app) : IClassFixture<SampleAppFactory>
{
    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/index.html", "text/html")]
    [InlineData("/my-sessions.js", "text/javascript")]
    [InlineData("/my-sessions.css", "text/css")]
    public async Task Every_file_of_the_page_is_served_with_the_content_security_policy_and_nosniff(string path, string mediaType)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Policy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task The_page_loads_only_its_own_script_and_style_sheet_and_has_no_inline_script_or_style()
    {
        using var client = app.CreateClient();

        var html = await client.GetStringAsync("/");

        Assert.Contains("""<script type="module" src="/my-sessions.js"></script>""", html, StringComparison.Ordinal);
        Assert.Contains("""<link rel="stylesheet" href="/my-sessions.css">""", html, StringComparison.Ordinal);
        Assert.Equal(1, Count(html, "<script"));
        Assert.Equal(0, Count(html, "style="));
        Assert.Equal(0, Count(html, "<style"));
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);   // no inline event handlers (onclick=…)
    }

    [Fact]
    public async Task The_script_never_parses_text_as_HTML()
    {
        using var client = app.CreateClient();

        var script = await client.GetStringAsync("/my-sessions.js");

        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function" })
        {
            Assert.DoesNotContain(sink, script, StringComparison.Ordinal);
        }

        Assert.Contains("textContent", script, StringComparison.Ordinal);
    }

    private static int Count(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.OrdinalIgnoreCase).Length) / value.Length;
}
