using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace SessionKit.Core.Tests.Cookies;

/// <summary>The cookie is read by its exact, case-sensitive name; a repeated name is refused, never "last wins".</summary>
public sealed class SessionCookieNameTests : IAsyncLifetime
{
    private CookieTestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await CookieTestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_valid_session_under_the_name_in_other_letter_case_is_ignored_without_a_store_call()
    {
        var (id, _) = await _app.SignInAsync();
        var before = _app.Store.Calls;

        using var response = await _app.SendWithCookieHeadersAsync(HttpMethod.Get, "/me", "__host-session=" + id);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, _app.Store.Calls);
    }

    [Theory]
    [InlineData("__Host-session={victim}; __host-session={attacker}")]
    [InlineData("__host-session={attacker}; __Host-session={victim}")]
    [InlineData("__HOST-SESSION={attacker};__Host-session={victim};__Host-Session={attacker}")]
    public async Task A_planted_cookie_in_other_letter_case_neither_swaps_nor_locks_out_the_real_one(string header)
    {
        var (victim, _) = await _app.SignInAsync("victim");
        var (attacker, _) = await _app.SignInAsync("attacker");

        using var response = await _app.SendWithCookieHeadersAsync(HttpMethod.Get, "/me", header.Replace("{victim}", victim).Replace("{attacker}", attacker));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("victim|", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_cookies_around_the_session_cookie_do_not_disturb_it()
    {
        var (id, _) = await _app.SignInAsync();

        using var response = await _app.SendWithCookieHeadersAsync(HttpMethod.Get, "/me", $"theme=dark;  __Host-session={id} ;x=__Host-session=forged; flag");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_exact_name_twice_is_refused_with_401_a_logged_reason_and_a_metric(bool inSeparateHeaders)
    {
        using var rejected = new MetricCollector<long>(_app.Services.GetRequiredService<IMeterFactory>(), "SessionKit", "sessionkit.sessions.rejected");
        var (first, _) = await _app.SignInAsync("first");
        var (second, _) = await _app.SignInAsync("second");
        var before = _app.Store.Calls;
        string[] headers = inSeparateHeaders
            ? [$"__Host-session={first}", $"__Host-session={second}"]
            : [$"__Host-session={first}; __Host-session={second}"];

        using var response = await _app.SendWithCookieHeadersAsync(HttpMethod.Get, "/me", headers);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, _app.Store.Calls);
        Assert.Equal(["cookie_duplicate"], rejected.GetMeasurementSnapshot().Select(m => m.Tags["reason"]));
        Assert.Contains(_app.Logs.GetSnapshot(), r => r.Message.Contains("cookie_duplicate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_valid_id_sent_twice_is_still_refused()
    {
        var (id, _) = await _app.SignInAsync();

        using var response = await _app.SendWithCookieHeadersAsync(HttpMethod.Get, "/me", $"__Host-session={id}; __Host-session={id}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Signing_out_with_a_duplicated_cookie_revokes_neither_session()
    {
        var (first, _) = await _app.SignInAsync("first");
        var (second, _) = await _app.SignInAsync("second");

        using var logout = await _app.SendWithCookieHeadersAsync(HttpMethod.Post, "/logout", $"__Host-session={first}; __Host-session={second}");

        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.SendAsync(HttpMethod.Get, "/me", first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.SendAsync(HttpMethod.Get, "/me", second)).StatusCode);
    }
}
