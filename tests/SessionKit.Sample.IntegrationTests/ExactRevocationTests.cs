using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SessionKit.Cookies;
using SessionKit.Jwt;
using SessionKit.Testing.Redis;

namespace SessionKit.Sample.IntegrationTests;

/// <summary>
/// Two sample instances on one real Redis, both with the local cache on and a staleness far longer than the test: a
/// revocation or permission change made on one instance is never served stale by the other once the call has returned.
/// </summary>
public sealed class ExactRevocationTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    private const int RevocationTrials = 1000;
    private const int PermissionTrials = 300;

    private static readonly Dictionary<string, string?> Cached = new()
    {
        ["SessionKit:LocalCache:Enabled"] = "true",
        ["SessionKit:LocalCache:MaxStaleness"] = "00:10:00",
    };

    [Fact]
    public async Task A_session_revoked_on_one_instance_is_never_accepted_by_the_other_once_the_call_returned()
    {
        var prefix = "exact-" + Guid.NewGuid().ToString("N")[..8] + ":";
        await using var first = SampleApp.OnRedis(redis.ConnectionString, prefix, Cached);
        await using var second = SampleApp.OnRedis(redis.ConnectionString, prefix, Cached);
        using var one = first.CreateApiClient();
        using var two = second.CreateApiClient();
        await WaitUntilCachesAreCurrentAsync(first, second);
        var tokens = first.Services.GetRequiredService<SessionOverJwtTokenService>();
        var admin = first.Services.GetRequiredService<SessionAdminService>();
        var misses = new Dictionary<string, int> { ["logout"] = 0, ["force logout"] = 0, ["DELETE /sessions/{id}"] = 0 };

        for (var trial = 0; trial < RevocationTrials; trial++)
        {
            var token = (await tokens.IssueAsync("2", permissions: ["sessions:admin"])).AccessToken;
            using (var warm = await SampleClient.WithTokenAsync(two, HttpMethod.Get, "/member", token))
            {
                Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
            }

            var how = (trial % 3) switch { 0 => "logout", 1 => "force logout", _ => "DELETE /sessions/{id}" };
            await RevokeOnFirstAsync(how, one, admin, token);

            using var afterwards = await SampleClient.WithTokenAsync(two, HttpMethod.Get, "/member", token);
            if (afterwards.StatusCode != HttpStatusCode.Unauthorized)
            {
                misses[how]++;
            }
        }

        output.WriteLine($"{RevocationTrials} revoke-then-use-elsewhere trials; accepted afterwards: " + string.Join(", ", misses.Select(m => $"{m.Key} {m.Value}")));
        Assert.All(misses.Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task A_permission_change_on_one_instance_is_never_read_stale_by_the_other_once_the_call_returned()
    {
        var prefix = "exact-" + Guid.NewGuid().ToString("N")[..8] + ":";
        await using var first = SampleApp.OnRedis(redis.ConnectionString, prefix, Cached);
        await using var second = SampleApp.OnRedis(redis.ConnectionString, prefix, Cached);
        using var two = second.CreateApiClient();
        await WaitUntilCachesAreCurrentAsync(first, second);
        var sessions = first.Services.GetRequiredService<SessionManager>();
        var admin = first.Services.GetRequiredService<SessionAdminService>();
        var session = await sessions.CreateAsync(new SessionCreateRequest
        {
            Subject = "1",
            Scheme = SessionCookieDefaults.AuthenticationScheme,
            Claims = [new SessionClaim(SessionKitClaimTypes.Name, "admin")],
        });
        var stale = 0;

        for (var trial = 0; trial < PermissionTrials; trial++)
        {
            using (var warm = await SampleClient.WithCookieAsync(two, HttpMethod.Get, "/user/me", session.Id))
            {
                Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
            }

            var permission = "P" + trial;
            await admin.UpdateSubjectClaimsAsync("1", [new SessionClaim(SessionKitClaimTypes.Name, "admin")], [permission]);

            using var read = await SampleClient.WithCookieAsync(two, HttpMethod.Get, "/user/me", session.Id);
            var permissions = (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ToArray();
            if (permissions is not [var only] || only != permission)
            {
                stale++;
            }
        }

        output.WriteLine($"{PermissionTrials} change-then-read-elsewhere trials; stale reads: {stale}");
        Assert.Equal(0, stale);
    }

    private static async Task RevokeOnFirstAsync(string how, HttpClient one, SessionAdminService admin, string token)
    {
        switch (how)
        {
            case "logout":
                using (var logout = await SampleClient.WithTokenAsync(one, HttpMethod.Post, "/logout", token))
                {
                    Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
                }

                break;
            case "force logout":
                Assert.True(await admin.RevokeSubjectAsync("2") >= 1);
                break;
            default:
                using (var list = await SampleClient.WithTokenAsync(one, HttpMethod.Get, "/sessions", token))
                {
                    var mine = (await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Single(s => s.GetProperty("current").GetBoolean());
                    using var delete = await SampleClient.WithTokenAsync(one, HttpMethod.Delete, "/sessions/" + mine.GetProperty("id").GetString(), token);
                    Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
                }

                break;
        }
    }

    private static async Task WaitUntilCachesAreCurrentAsync(params SampleApp[] instances)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var instance in instances)
        {
            // Resolving the manager builds the pipeline, whose cache subscribes to the feed.
            _ = instance.Services.GetRequiredService<SessionManager>();
            var feed = instance.Services.GetRequiredService<ISessionChangeFeed>();
            while (!feed.IsCurrent)
            {
                Assert.True(DateTime.UtcNow < deadline, "The change feed never became current.");
                await Task.Delay(20);
            }
        }
    }
}
