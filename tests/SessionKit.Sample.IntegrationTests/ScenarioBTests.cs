using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SessionKit.Testing.Redis;

namespace SessionKit.Sample.IntegrationTests;

/// <summary>Scenario B (the cookie-session scenario the sample README walks through), step by step, with exactly its statuses; run per store.</summary>
public abstract class ScenarioBTests : IAsyncLifetime
{
    private SampleApp _app = null!;
    private HttpClient _client = null!;

    private protected abstract SampleApp CreateApp();

    public ValueTask InitializeAsync()
    {
        _app = CreateApp();
        _client = _app.CreateApiClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Scenario_B_gives_exactly_the_statuses_of_the_design_brief()
    {
        // 1. assign without a cookie
        using (var step1 = await SampleClient.WithCookieAsync(_client, HttpMethod.Post, "/user/assign", null, new { userId = 3, groupIds = new[] { 2 } }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, step1.StatusCode);
        }

        // 2. create a user (and the 400s for bad input and duplicates)
        var userId = await SampleClient.CreateUserAsync(_client, "john.doe@email.com", "s3cret");
        Assert.Equal(3, userId);
        using (var invalid = await _client.PostAsJsonAsync("/user", new { username = "john", password = "" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType!.MediaType);
            var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.True(errors.TryGetProperty("username", out _));
            Assert.True(errors.TryGetProperty("password", out _));
        }

        using (var duplicate = await _client.PostAsJsonAsync("/user", new { username = "john.doe@email.com", password = "x" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        }

        // 3. log in as that user, 4. assign is forbidden
        var john = await SampleClient.CookieLoginAsync(_client, "john.doe@email.com", "s3cret");
        using (var step4 = await SampleClient.WithCookieAsync(_client, HttpMethod.Post, "/user/assign", john, new { userId, groupIds = new[] { 2 } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, step4.StatusCode);
        }

        // 5. the admin assigns Manager; john's live session can assign at once, without a new login
        var admin = await SampleClient.CookieLoginAsync(_client, "admin", "admin");
        using (var step5 = await SampleClient.WithCookieAsync(_client, HttpMethod.Post, "/user/assign", admin, new { userId, groupIds = new[] { 2 } }))
        {
            Assert.Equal(HttpStatusCode.OK, step5.StatusCode);
            Assert.Equal(1, (await step5.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionsUpdated").GetInt32());
        }

        using (var unknown = await SampleClient.WithCookieAsync(_client, HttpMethod.Post, "/user/assign", admin, new { userId = 999, groupIds = new[] { 7 } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        }

        using (var live = await SampleClient.WithCookieAsync(_client, HttpMethod.Post, "/user/assign", john, new { userId, groupIds = new[] { 2 } }))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        // 6. logout: 200, the cookie expired, the session gone
        using (var step6 = await SampleClient.WithCookieAsync(_client, HttpMethod.Post, "/user/logout", john))
        {
            Assert.Equal(HttpStatusCode.OK, step6.StatusCode);
            Assert.Contains("expires=Thu, 01 Jan 1970", Assert.Single(step6.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        }

        using var after = await SampleClient.WithCookieAsync(_client, HttpMethod.Get, "/user/me", john);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task My_sessions_lists_revokes_one_and_revokes_the_others()
    {
        var laptop = await SampleClient.CookieLoginAsync(_client, "admin", "admin");
        var phone = await SampleClient.CookieLoginAsync(_client, "admin", "admin");
        var tablet = await SampleClient.TokenLoginAsync(_client, "admin", "admin");

        using var list = await SampleClient.WithCookieAsync(_client, HttpMethod.Get, "/sessions", laptop);
        var sessions = (await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToArray();
        Assert.Equal(3, sessions.Length);
        Assert.Single(sessions, s => s.GetProperty("current").GetBoolean());
        Assert.All(sessions, s => Assert.False(string.IsNullOrEmpty(s.GetProperty("userAgent").GetString())));

        using (var revokeOthers = await SampleClient.WithCookieAsync(_client, HttpMethod.Post, "/sessions/revoke-others", laptop))
        {
            Assert.Equal(2, (await revokeOthers.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revoked").GetInt32());
        }

        using var phoneAfter = await SampleClient.WithCookieAsync(_client, HttpMethod.Get, "/user/me", phone);
        using var tabletAfter = await SampleClient.WithTokenAsync(_client, HttpMethod.Get, "/member", tablet);
        using var laptopAfter = await SampleClient.WithCookieAsync(_client, HttpMethod.Get, "/user/me", laptop);
        Assert.Equal(HttpStatusCode.Unauthorized, phoneAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tabletAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, laptopAfter.StatusCode);
    }

    [Fact]
    public async Task Revoking_one_session_by_its_listed_id_ends_only_that_session()
    {
        var first = await SampleClient.CookieLoginAsync(_client, "admin", "admin");
        var second = await SampleClient.CookieLoginAsync(_client, "admin", "admin");
        using var list = await SampleClient.WithCookieAsync(_client, HttpMethod.Get, "/sessions", first);
        var other = (await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Single(s => !s.GetProperty("current").GetBoolean());

        using var revoke = await SampleClient.WithCookieAsync(_client, HttpMethod.Delete, "/sessions/" + other.GetProperty("id").GetString(), first);
        using var again = await SampleClient.WithCookieAsync(_client, HttpMethod.Delete, "/sessions/" + other.GetProperty("id").GetString(), first);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        using var secondAfter = await SampleClient.WithCookieAsync(_client, HttpMethod.Get, "/user/me", second);
        using var firstAfter = await SampleClient.WithCookieAsync(_client, HttpMethod.Get, "/user/me", first);
        Assert.Equal(HttpStatusCode.Unauthorized, secondAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, firstAfter.StatusCode);
    }
}

public sealed class ScenarioBInMemoryTests : ScenarioBTests
{
    private protected override SampleApp CreateApp() => new(new Dictionary<string, string?> { ["Store"] = "memory" });
}

public sealed class ScenarioBOnRedisTests(RedisServerFixture redis) : ScenarioBTests, IClassFixture<RedisServerFixture>
{
    private protected override SampleApp CreateApp() => SampleApp.OnRedis(redis.ConnectionString, "scenario-b-" + Guid.NewGuid().ToString("N")[..8] + ":");
}

public sealed class ScenarioBOnRedisClusterTests(RedisClusterFixture cluster) : ScenarioBTests, IClassFixture<RedisClusterFixture>
{
    private protected override SampleApp CreateApp() => SampleApp.OnRedis(cluster.ConnectionString, "scenario-b-" + Guid.NewGuid().ToString("N")[..8] + ":");
}
