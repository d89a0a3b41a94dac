using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using SessionKit.InMemory;
using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Jwt;

public sealed class SessionOverJwtHandlerTests
{
    [Fact]
    public async Task A_token_authenticates_and_the_principal_comes_from_the_session_record()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));
        var token = await app.Tokens.IssueAsync("alice", permissions: ["orders:read"]);

        using var response = await app.GetMeAsync(token.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice|orders:read", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_token_carries_only_the_session_pointer_and_the_registered_claims()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));
        var token = await app.Tokens.IssueAsync("alice", claims: [new SessionClaim("email", "alice@example.com")], permissions: ["orders:read"]);

        var jwt = new JsonWebToken(token.AccessToken);

        Assert.Equal(SessionOverJwtDefaults.TokenType, jwt.Typ);
        Assert.Equal("hs-1", jwt.Kid);
        Assert.Equal(["aud", "exp", "iat", "iss", "nbf", "sid", "sub"], jwt.Claims.Select(c => c.Type).Distinct().Order());
        Assert.Equal(token.Session.AbsoluteExpiresAt.ToUnixTimeSeconds(), new DateTimeOffset(jwt.ValidTo).ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("RS256")]
    [InlineData("ES256")]
    public async Task Each_supported_algorithm_signs_and_validates(string algorithm)
    {
        var key = algorithm switch { "RS256" => TestKeys.Rs256(), "ES256" => TestKeys.Es256(), _ => TestKeys.Hs256() };
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(key));
        var token = await app.Tokens.IssueAsync("alice");

        using var response = await app.GetMeAsync(token.AccessToken);

        Assert.Equal(algorithm, new JsonWebToken(token.AccessToken).Alg);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Rotation_by_kid_old_keys_validate_the_newest_signs_and_a_removed_key_stops_validating()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = new InMemorySessionStore(time, TimeSpan.FromMinutes(1));
        var oldKey = TestKeys.Rs256("2026-01");
        var newKey = TestKeys.Es256("2026-02");
        string oldToken;
        await using (var before = await JwtTestApp.StartAsync(TestKeys.With(oldKey), store, time))
        {
            oldToken = (await before.Tokens.IssueAsync("alice")).AccessToken;
        }

        await using (var during = await JwtTestApp.StartAsync(TestKeys.With(oldKey, newKey), store, time))
        {
            var newToken = (await during.Tokens.IssueAsync("alice")).AccessToken;
            Assert.Equal("2026-02", new JsonWebToken(newToken).Kid);
            Assert.Equal(HttpStatusCode.OK, (await during.GetMeAsync(oldToken)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await during.GetMeAsync(newToken)).StatusCode);
        }

        await using var after = await JwtTestApp.StartAsync(TestKeys.With(newKey), store, time);
        Assert.Equal(HttpStatusCode.Unauthorized, (await after.GetMeAsync(oldToken)).StatusCode);
    }

    [Fact]
    public async Task A_permission_change_in_the_store_is_visible_on_the_next_request()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));
        var token = (await app.Tokens.IssueAsync("alice", permissions: ["a"])).AccessToken;

        await app.Admin.UpdateSubjectClaimsAsync("alice", [], ["a", "b"]);

        Assert.Equal("alice|a,b", await (await app.GetMeAsync(token)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_idle_timeout_ends_the_session_before_the_token_expires()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));
        var token = (await app.Tokens.IssueAsync("alice")).AccessToken;

        app.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await app.GetMeAsync(token)).StatusCode);
        app.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await app.GetMeAsync(token)).StatusCode);
        app.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetMeAsync(token)).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused_after_the_30_second_clock_skew()
    {
        await using var app = await JwtTestApp.StartAsync(o =>
        {
            TestKeys.With(TestKeys.Hs256())(o);
            o.TokenLifetime = TimeSpan.FromMinutes(5);
        });
        var token = await app.Tokens.IssueAsync("alice");
        Assert.Equal(app.Time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds(), token.ExpiresAt.ToUnixTimeSeconds());

        app.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, (await app.GetMeAsync(token.AccessToken)).StatusCode);
        app.Time.Advance(TimeSpan.FromSeconds(20));
        using var expired = await app.GetMeAsync(token.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Assert.Single(expired.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task Tokens_in_the_query_string_or_a_cookie_are_ignored()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));
        var token = (await app.Tokens.IssueAsync("alice")).AccessToken;
        using var cookieRequest = new HttpRequestMessage(HttpMethod.Get, "/me");
        cookieRequest.Headers.Add("Cookie", "access_token=" + token);

        using var query = await app.Client.GetAsync("/me?access_token=" + token);
        using var cookie = await app.Client.SendAsync(cookieRequest);

        Assert.Equal(HttpStatusCode.Unauthorized, query.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, cookie.StatusCode);
        Assert.Equal("Bearer", Assert.Single(cookie.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task Another_schemes_credentials_are_left_alone_and_challenged_without_an_error_code()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));

        using var response = await app.GetMeAsync("dXNlcjpwYXNz", scheme: "Basic");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("bearer not-a-token")]
    public async Task A_bearer_credential_without_a_usable_token_is_invalid_token(string authorization)
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));

        using var response = await app.GetMeAsync(authorization, scheme: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task Two_authorization_headers_are_refused_even_if_one_is_valid()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));
        var token = (await app.Tokens.IssueAsync("alice")).AccessToken;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + token, "Bearer " + token]);

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_for_another_audience_signed_with_the_same_key_is_refused()
    {
        var shared = TestKeys.Hs256();
        await using var other = await JwtTestApp.StartAsync(o => { TestKeys.With(shared)(o); o.Audience = "other-api"; });
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(shared));
        var foreign = (await other.Tokens.IssueAsync("alice")).AccessToken;

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetMeAsync(foreign)).StatusCode);
    }

    [Fact]
    public async Task Signing_in_with_the_current_token_rotates_the_session()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));
        var first = (await app.Tokens.IssueAsync("alice")).AccessToken;

        var second = (await app.Tokens.IssueAsync("alice", currentToken: first)).AccessToken;

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetMeAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetMeAsync(second)).StatusCode);
        Assert.Single(await app.Sessions.ListAsync("alice"));
    }

    [Fact]
    public async Task Logout_ends_one_session_and_logout_everywhere_ends_all_of_the_subjects()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));
        var laptop = (await app.Tokens.IssueAsync("alice")).AccessToken;
        var phone = (await app.Tokens.IssueAsync("alice")).AccessToken;
        var tablet = (await app.Tokens.IssueAsync("alice")).AccessToken;
        var bob = (await app.Tokens.IssueAsync("bob")).AccessToken;

        Assert.True(await app.Tokens.LogoutAsync(laptop));
        Assert.False(await app.Tokens.LogoutAsync(laptop));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetMeAsync(laptop)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetMeAsync(phone)).StatusCode);

        Assert.Equal(2, await app.Tokens.LogoutEverywhereAsync("alice"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetMeAsync(phone)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetMeAsync(tablet)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetMeAsync(bob)).StatusCode);
    }

    [Fact]
    public async Task Neither_tokens_nor_session_ids_appear_in_the_logs()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));
        var token = (await app.Tokens.IssueAsync("alice")).AccessToken;
        var sid = new JsonWebToken(token).GetPayloadValue<string>("sid");
        var tampered = token[..^4] + "AAAA";

        await app.GetMeAsync(token);
        await app.GetMeAsync(tampered);
        await app.GetMeAsync(token + ".x");
        await app.Tokens.LogoutAsync(token);
        await app.GetMeAsync(token);

        var records = app.Logs.GetSnapshot();
        Assert.Contains(records, r => r.Message.Contains("Bearer token refused", StringComparison.Ordinal));
        foreach (var record in records)
        {
            var text = record.Message + record.Exception + string.Join(';', record.StructuredState?.Select(s => s.Value) ?? []);
            Assert.DoesNotContain(token[^20..], text, StringComparison.Ordinal);
            Assert.DoesNotContain(sid[^20..], text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Refused_tokens_are_counted_by_reason()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));
        using var rejected = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(
            app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "SessionKit", "sessionkit.sessions.rejected");
        var token = (await app.Tokens.IssueAsync("alice")).AccessToken;

        await app.GetMeAsync(token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA"));
        await app.GetMeAsync("not-a-jwt");

        var reasons = rejected.GetMeasurementSnapshot().Select(m => m.Tags["reason"]).ToArray();
        Assert.Equal(["token_signature", "token_malformed"], reasons);
    }

    [Fact]
    public async Task A_public_only_newest_key_cannot_issue_and_says_why()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var publicOnly = new SessionOverJwtSigningKey(new Microsoft.IdentityModel.Tokens.RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "pub" }, "RS256");
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(publicOnly));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.Tokens.IssueAsync("alice"));

        Assert.Contains("has no private key", error.Message, StringComparison.Ordinal);
    }
}
