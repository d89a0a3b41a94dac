using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Jwt;

/// <summary>Claim types of signed tokens (RFC 7519 NumericDate) and the token response an endpoint sends.</summary>
public sealed class SessionOverJwtTokenFormatTests : IAsyncLifetime
{
    private readonly SessionOverJwtSigningKey _key = TestKeys.Hs256();
    private JwtTestApp _app = null!;
    private string _sid = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await JwtTestApp.StartAsync(
            TestKeys.With(_key),
            endpoints: a => a.MapPost("/login", async (SessionOverJwtTokenService tokens) => (await tokens.IssueAsync("alice")).ToHttpResult()));
        _sid = new JsonWebToken((await _app.Tokens.IssueAsync("alice")).AccessToken).GetPayloadValue<string>(SessionOverJwtDefaults.SessionIdClaim);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    // Numbers in strings pass the token library (it parses them) and are refused by SessionKit's own check; the other
    // types the library already refuses.
    public static TheoryData<string, string> NonNumberDates => new()
    {
        { "\"exp\":\"{exp}\",\"nbf\":{now},\"iat\":{now}", "token_claims" },
        { "\"exp\":{exp},\"nbf\":\"{now}\",\"iat\":{now}", "token_claims" },
        { "\"exp\":{exp},\"nbf\":{now},\"iat\":\"{now}\"", "token_claims" },
        { "\"exp\":[{exp}],\"nbf\":{now},\"iat\":{now}", "token_malformed" },
        { "\"exp\":true,\"nbf\":{now},\"iat\":{now}", "token_malformed" },
        { "\"exp\":{exp},\"nbf\":null,\"iat\":{now}", "token_malformed" },
    };

    [Theory]
    [MemberData(nameof(NonNumberDates))]
    public async Task A_signed_token_whose_numeric_date_is_not_a_json_number_is_401(string lifetime, string reason)
    {
        using var rejected = new MetricCollector<long>(_app.Services.GetRequiredService<IMeterFactory>(), "SessionKit", "sessionkit.sessions.rejected");
        var token = Sign(lifetime);

        using var response = await _app.GetMeAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal([reason], rejected.GetMeasurementSnapshot().Select(m => m.Tags["reason"]));
    }

    [Fact]
    public async Task The_same_token_with_numbers_is_accepted()
    {
        using var response = await _app.GetMeAsync(Sign("\"exp\":{exp},\"nbf\":{now},\"iat\":{now}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_token_response_is_never_cached_and_has_the_oauth_shape()
    {
        using var response = await _app.Client.PostAsync("/login", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Equal("no-cache", response.Headers.Pragma.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(["access_token", "token_type", "expires_in", "expires_at"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.Equal(8 * 3600, root.GetProperty("expires_in").GetInt64(), tolerance: 1);
        using var me = await _app.GetMeAsync(root.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    private string Sign(string lifetime)
    {
        var now = _app.Time.GetUtcNow().ToUnixTimeSeconds();
        var claims = lifetime.Replace("{exp}", (now + 600).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{now}", now.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return TestTokens.SignHs256(_key, TestTokens.Payload(_sid, "alice", _app.Time.GetUtcNow(), claims));
    }
}
