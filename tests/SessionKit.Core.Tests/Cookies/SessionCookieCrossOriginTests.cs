using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;

namespace SessionKit.Core.Tests.Cookies;

/// <summary>Unsafe cookie-authenticated requests from another origin are refused (Fetch Metadata and <c>Origin</c>).</summary>
public sealed class SessionCookieCrossOriginTests : IAsyncLifetime
{
    private CookieTestApp _app = null!;
    private string _id = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await CookieTestApp.StartAsync(configure: o => o.AllowedOrigins.Add("https://partner.example:8443"));
        (_id, _) = await _app.SignInAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("POST", "https://evil.example", null)]
    [InlineData("PUT", "https://evil.example", "cross-site")]
    [InlineData("PATCH", "https://sibling.localhost", "same-site")]
    [InlineData("DELETE", "http://localhost", "same-site")]
    [InlineData("POST", "https://localhost:8443", null)]
    [InlineData("POST", "null", "cross-site")]
    [InlineData("POST", "null", null)]
    [InlineData("POST", "https://localhost/path", null)]
    [InlineData("POST", "https://localhost", "cross-site")]
    [InlineData("POST", null, "cross-site")]
    [InlineData("POST", null, "same-site")]
    [InlineData("POST", "https://partner.example", null)]
    public async Task An_unsafe_request_from_another_origin_is_403_problem_details_without_a_store_call(string method, string? origin, string? fetchSite)
    {
        using var rejected = new MetricCollector<long>(_app.Services.GetRequiredService<IMeterFactory>(), "SessionKit", "sessionkit.sessions.rejected");
        var before = _app.Store.Calls;

        using var response = await SendAsync(method, "/me", origin, fetchSite);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("own origin", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, _app.Store.Calls);
        Assert.Equal(["cross_origin"], rejected.GetMeasurementSnapshot().Select(m => m.Tags["reason"]));
    }

    [Theory]
    [InlineData("POST", "https://localhost", "same-origin")]
    [InlineData("POST", "https://LOCALHOST:443", null)]
    [InlineData("DELETE", null, null)]
    [InlineData("POST", null, "same-origin")]
    [InlineData("POST", null, "none")]
    [InlineData("POST", "https://partner.example:8443", "cross-site")]
    [InlineData("GET", "https://evil.example", "cross-site")]
    [InlineData("HEAD", "null", "cross-site")]
    public async Task Same_origin_allow_listed_header_less_and_safe_requests_are_authenticated(string method, string? origin, string? fetchSite)
    {
        using var response = await SendAsync(method, "/me", origin, fetchSite);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_anonymous_endpoint_still_runs_for_a_cross_origin_request_but_unauthenticated()
    {
        using var response = await SendAsync("POST", "/anonymous", "https://evil.example", "cross-site");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("anonymous", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_cross_origin_sign_out_does_not_revoke_the_session()
    {
        using var logout = await SendAsync("POST", "/logout", "https://evil.example", "cross-site");

        Assert.Equal(HttpStatusCode.OK, (await _app.SendAsync(HttpMethod.Get, "/me", _id)).StatusCode);
    }

    [Fact]
    public async Task The_check_can_be_turned_off()
    {
        await using var app = await CookieTestApp.StartAsync(configure: o => o.RefuseCrossOriginRequests = false);
        var (id, _) = await app.SignInAsync();

        using var response = await app.SendAsync(HttpMethod.Post, "/me", id, r => r.Headers.Add("Origin", "https://evil.example"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Behind_a_proxy_the_origin_is_compared_with_the_forwarded_scheme_and_host()
    {
        await using var app = await CookieTestApp.StartAsync(
            services: s => s.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                o.KnownIPNetworks.Clear();
                o.KnownProxies.Clear();
            }),
            beforeAuthentication: a => a.UseForwardedHeaders());
        var (id, _) = await app.SignInAsync();

        using var proxied = await app.SendAsync(HttpMethod.Post, "/me", id, r =>
        {
            r.RequestUri = new Uri("http://backend:8080/me");
            r.Headers.Add("X-Forwarded-Proto", "https");
            r.Headers.Add("X-Forwarded-Host", "app.example.com");
            r.Headers.Add("Origin", "https://app.example.com");
        });
        using var unproxied = await app.SendAsync(HttpMethod.Post, "/me", id, r =>
        {
            r.RequestUri = new Uri("http://backend:8080/me");
            r.Headers.Add("Origin", "https://app.example.com");
        });

        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unproxied.StatusCode);
    }

    [Theory]
    [InlineData("https://app.example.com/path")]
    [InlineData("app.example.com")]
    [InlineData("null")]
    [InlineData("*")]
    [InlineData("ftp://app.example.com")]
    public async Task An_allowed_origin_that_is_not_an_origin_refuses_to_start(string origin)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => CookieTestApp.StartAsync(configure: o => o.AllowedOrigins.Add(origin)));

        Assert.Contains("is not an origin", error.Message, StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> SendAsync(string method, string path, string? origin, string? fetchSite)
        => _app.SendAsync(new HttpMethod(method), path, _id, r =>
        {
            if (origin is not null)
            {
                r.Headers.TryAddWithoutValidation("Origin", origin);
            }

            if (fetchSite is not null)
            {
                r.Headers.TryAddWithoutValidation("Sec-Fetch-Site", fetchSite);
            }
        });
}
