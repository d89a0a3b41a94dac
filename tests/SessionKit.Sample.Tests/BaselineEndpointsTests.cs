using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SessionKit.Sample.Tests;

/// <summary>The load test's stateless comparison endpoints (Benchmarks:Baselines): off by default, faithful when on.</summary>
public sealed class BaselineEndpointsTests
{
    private static readonly WebApplicationFactoryClientOptions NoCookieJar = new() { HandleCookies = false };

    [Fact]
    public async Task Baseline_endpoints_are_not_mapped_by_default()
    {
        using var app = Factory(baselines: false);
        var client = app.CreateClient(NoCookieJar);
        var token = await client.LoginForTokenAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, "/baseline/jwt/member", token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/baseline/cookie/login", new { username = "admin", password = "admin" })).StatusCode);
    }

    [Fact]
    public async Task JwtBearer_baseline_accepts_the_sample_token_without_a_store_and_refuses_no_token()
    {
        using var app = Factory(baselines: true);
        var client = app.CreateClient(NoCookieJar);
        var token = await client.LoginForTokenAsync();

        var accepted = await client.SendAsync(HttpMethod.Get, "/baseline/jwt/member", token);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("Hello World!", await accepted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(HttpMethod.Get, "/baseline/jwt/member", null)).StatusCode);

        // Stateless: the baseline still accepts a logged-out token, SessionKit's /member does not.
        Assert.Equal(HttpStatusCode.OK, (await client.LogoutAsync(token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, "/baseline/jwt/member", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.MemberAsync(token)).StatusCode);
    }

    [Fact]
    public async Task Cookie_baselines_accept_their_own_cookie_and_refuse_none()
    {
        using var app = Factory(baselines: true);
        var client = app.CreateClient(NoCookieJar);
        var ticket = await CookieAsync(client, "/baseline/cookie/login", "baseline-cookie");
        var session = await CookieAsync(client, "/user/login", "__Host-session");

        foreach (var (path, cookie) in new[] { ("/baseline/cookie/member", ticket), ("/baseline/session-cookie/member", session) })
        {
            using var withCookie = new HttpRequestMessage(HttpMethod.Get, path);
            withCookie.Headers.Add("Cookie", cookie);
            var accepted = await client.SendAsync(withCookie);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal("Hello World!", await accepted.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(path)).StatusCode);
        }
    }

    private static async Task<string> CookieAsync(HttpClient client, string loginPath, string name)
    {
        var response = await client.PostAsJsonAsync(loginPath, new { username = "admin", password = "admin" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(name + "=", StringComparison.Ordinal));
        return setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    private static WebApplicationFactory<Program> Factory(bool baselines)
        => new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseTestUsersDatabase();
            builder.UseSetting("Benchmarks:Baselines", baselines ? "true" : "false");
        });
}
