using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using SessionKit.Core.Tests.Jwt;
using SessionKit.Cookies;
using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Authentication;

/// <summary>A session works only with the scheme that issued it, whichever way it is carried over.</summary>
public sealed class SchemeBindingTests : IAsyncLifetime
{
    private TwoSchemeApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TwoSchemeApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_tokens_sid_presented_as_the_session_cookie_is_401()
    {
        using var rejected = new MetricCollector<long>(_app.Services.GetRequiredService<IMeterFactory>(), "SessionKit", "sessionkit.sessions.rejected");
        var token = await _app.TokenAsync();
        var sid = new JsonWebToken(token).GetPayloadValue<string>(SessionOverJwtDefaults.SessionIdClaim);

        using var asCookie = await _app.GetWithCookieAsync(sid);
        using var asToken = await _app.GetWithTokenAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, asCookie.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asToken.StatusCode);
        Assert.Contains("scheme_mismatch", rejected.GetMeasurementSnapshot().Select(m => m.Tags["reason"]));
    }

    [Fact]
    public async Task A_cookie_session_id_inside_a_validly_signed_token_is_401()
    {
        var cookieId = await _app.CookieAsync("alice");
        var tokenSid = new JsonWebToken(await _app.TokenAsync("alice")).GetPayloadValue<string>(SessionOverJwtDefaults.SessionIdClaim);
        var now = _app.Time.GetUtcNow();

        using var cookieInToken = await _app.GetWithTokenAsync(TestTokens.SignHs256(_app.Key, TestTokens.Payload(cookieId, "alice", now)));
        using var control = await _app.GetWithTokenAsync(TestTokens.SignHs256(_app.Key, TestTokens.Payload(tokenSid, "alice", now)));
        using var cookie = await _app.GetWithCookieAsync(cookieId);

        Assert.Equal(HttpStatusCode.Unauthorized, cookieInToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, control.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cookie.StatusCode);
    }

    [Fact]
    public async Task A_cookie_sign_out_revokes_the_cookies_session_never_the_tokens_of_the_same_request()
    {
        var token = await _app.TokenAsync("alice");
        var cookie = await _app.CookieAsync("alice");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cookie/logout");
        request.Headers.Add("Authorization", "Bearer " + token);
        request.Headers.Add("Cookie", SessionCookieDefaults.CookieName + "=" + cookie);

        using var logout = await _app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.GetWithCookieAsync(cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.GetWithTokenAsync(token)).StatusCode);
    }
}
