using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SessionKit.Cookies;
using SessionKit.Testing;

namespace SessionKit.Core.Tests.Cookies;

/// <summary>Page navigations are redirected to the login and access-denied pages; API requests keep their status codes.</summary>
public sealed class SessionCookieRedirectTests : IAsyncLifetime
{
    private CookieTestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await CookieTestApp.StartAsync(configure: o =>
    {
        o.LoginPath = "/account/login";
        o.AccessDeniedPath = "/account/denied";
    });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_page_navigation_without_a_session_is_redirected_to_the_login_page_with_its_local_url()
    {
        using var response = await _app.SendAsync(HttpMethod.Get, "/me?tab=a%20b&x=1", null, Navigation);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/account/login?ReturnUrl=%2Fme%3Ftab%3Da%2520b%26x%3D1", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_page_navigation_without_the_permission_is_redirected_to_the_access_denied_page()
    {
        var (id, _) = await _app.SignInAsync(permission: "READ");

        using var response = await _app.SendAsync(HttpMethod.Get, "/admin", id, Navigation);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/account/denied?ReturnUrl=%2Fadmin", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("GET", "application/json", null, null)]
    [InlineData("GET", "*/*", null, null)]
    [InlineData("GET", "text/html", "XMLHttpRequest", null)]
    [InlineData("GET", "text/html", null, "cors")]
    [InlineData("GET", "text/html", null, "same-origin")]
    [InlineData("GET", "text/html;q=0, application/json", null, null)]
    [InlineData("POST", "text/html", null, "navigate")]
    public async Task Script_and_api_requests_keep_401_and_403_problem_details(string method, string accept, string? requestedWith, string? fetchMode)
    {
        var (reader, _) = await _app.SignInAsync(permission: "READ");
        void Configure(HttpRequestMessage r)
        {
            r.Headers.TryAddWithoutValidation("Accept", accept);
            if (requestedWith is not null)
            {
                r.Headers.Add("X-Requested-With", requestedWith);
            }

            if (fetchMode is not null)
            {
                r.Headers.Add("Sec-Fetch-Mode", fetchMode);
            }
        }

        using var anonymous = await _app.SendAsync(new HttpMethod(method), "/me", null, Configure);
        using var forbidden = await _app.SendAsync(HttpMethod.Get, "/admin", reader, Configure);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType!.MediaType);
        if (method == "GET")
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Null(forbidden.Headers.Location);
        }
    }

    [Fact]
    public async Task A_store_outage_is_503_for_a_page_too_never_a_redirect_to_the_login_page()
    {
        var (id, _) = await _app.SignInAsync();
        _app.Store.Outage = StoreOutage.Throws;

        using var response = await _app.SendAsync(HttpMethod.Get, "/me", id, Navigation);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Without_a_login_path_pages_get_401_problem_details()
    {
        await using var app = await CookieTestApp.StartAsync();

        using var response = await app.SendAsync(HttpMethod.Get, "/me", null, Navigation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("", "//evil.example/x", "/account/login")]
    // PathString escapes the backslash (%5C), so that return URL is a path of this site.
    [InlineData("", "/\\evil.example", "/account/login?ReturnUrl=%2F%255Cevil.example")]
    [InlineData("/app", "/orders", "/app/account/login?ReturnUrl=%2Fapp%2Forders")]
    public void The_return_url_is_always_local(string pathBase, string path, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.PathBase = pathBase;
        context.Request.Path = path;

        Assert.Equal(expected, PageNavigation.RedirectUri(context.Request, "/account/login", "ReturnUrl"));
    }

    [Theory]
    [InlineData("//evil.example/login")]
    [InlineData("/\\evil.example")]
    public async Task A_login_path_that_leaves_the_site_refuses_to_start(string path)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => CookieTestApp.StartAsync(configure: o => o.LoginPath = path));

        Assert.Contains("another host", error.Message, StringComparison.Ordinal);
    }

    private static void Navigation(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        request.Headers.Add("Sec-Fetch-Mode", "navigate");
    }
}
