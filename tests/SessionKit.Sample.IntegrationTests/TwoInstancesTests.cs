using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SessionKit.Testing.Postgres;
using SessionKit.Testing.Redis;

namespace SessionKit.Sample.IntegrationTests;

/// <summary>
/// Two sample instances, as behind a load balancer: sessions on one Redis, users in one PostgreSQL database (a fresh
/// database per test), so that whatever one instance does, the other sees.
/// </summary>
public sealed class TwoInstancesTests(RedisServerFixture redis, PostgresServerFixture postgres)
    : IClassFixture<RedisServerFixture>, IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task Login_on_one_instance_works_on_the_other_and_logout_there_ends_it_on_both()
    {
        var (first, second) = await PairAsync();
        await using var _ = first;
        await using var __ = second;
        using var one = first.CreateApiClient();
        using var two = second.CreateApiClient();

        var cookie = await SampleClient.CookieLoginAsync(one, "admin", "admin");
        using (var onSecond = await SampleClient.WithCookieAsync(two, HttpMethod.Get, "/user/me", cookie))
        {
            Assert.Equal(HttpStatusCode.OK, onSecond.StatusCode);
        }

        using (var logout = await SampleClient.WithCookieAsync(two, HttpMethod.Post, "/user/logout", cookie))
        {
            Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        }

        using var onFirst = await SampleClient.WithCookieAsync(one, HttpMethod.Get, "/user/me", cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, onFirst.StatusCode);
    }

    [Fact]
    public async Task A_user_created_on_one_instance_signs_in_is_assigned_and_signs_out_on_the_other()
    {
        var (first, second) = await PairAsync();
        await using var _ = first;
        await using var __ = second;
        using var one = first.CreateApiClient();
        using var two = second.CreateApiClient();

        var userId = await SampleClient.CreateUserAsync(one, "jane.doe@email.com", "pa55word");
        Assert.Equal(3, userId);

        var jane = await SampleClient.CookieLoginAsync(two, "jane.doe@email.com", "pa55word");
        using (var forbidden = await SampleClient.WithCookieAsync(two, HttpMethod.Post, "/user/assign", jane, new { userId, groupIds = new[] { 2 } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        var admin = await SampleClient.CookieLoginAsync(two, "admin", "admin");
        using (var assign = await SampleClient.WithCookieAsync(two, HttpMethod.Post, "/user/assign", admin, new { userId, groupIds = new[] { 2 } }))
        {
            Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
            var body = await assign.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(1, body.GetProperty("sessionsUpdated").GetInt32());
            Assert.Equal(2, body.GetProperty("version").GetInt32());
        }

        // Jane's live session, on either instance, has the new permission without signing in again.
        using (var onOne = await SampleClient.WithCookieAsync(one, HttpMethod.Post, "/user/assign", jane, new { userId, groupIds = new[] { 2 } }))
        {
            Assert.Equal(HttpStatusCode.OK, onOne.StatusCode);
        }

        using (var logout = await SampleClient.WithCookieAsync(two, HttpMethod.Post, "/user/logout", jane))
        {
            Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        }

        using var after = await SampleClient.WithCookieAsync(one, HttpMethod.Get, "/user/me", jane);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Users_registered_on_two_instances_get_distinct_ids_and_never_see_or_revoke_each_others_sessions()
    {
        // Ids must come from the shared database: two instances giving one id to two people would show one person's
        // sessions to the other in GET /sessions, and let them revoke them.
        var (first, second) = await PairAsync();
        await using var _ = first;
        await using var __ = second;
        using var one = first.CreateApiClient();
        using var two = second.CreateApiClient();

        var aliceId = await SampleClient.CreateUserAsync(one, "alice@email.com", "alice-password");
        var bobId = await SampleClient.CreateUserAsync(two, "bob@email.com", "bob-password");
        Assert.NotEqual(aliceId, bobId);
        Assert.Equal(new[] { 3, 4 }, new[] { aliceId, bobId }.Order());

        var alice = await SampleClient.CookieLoginAsync(one, "alice@email.com", "alice-password");
        var bob = await SampleClient.CookieLoginAsync(two, "bob@email.com", "bob-password");
        var aliceSessions = await SessionsAsync(one, alice);
        var bobSessions = await SessionsAsync(two, bob);
        Assert.Single(aliceSessions);
        Assert.Single(bobSessions);

        using (var steal = await SampleClient.WithCookieAsync(two, HttpMethod.Delete, "/sessions/" + aliceSessions[0].GetProperty("id").GetString(), bob))
        {
            Assert.Equal(HttpStatusCode.NotFound, steal.StatusCode);
        }

        using (var stillAlice = await SampleClient.WithCookieAsync(one, HttpMethod.Get, "/user/me", alice))
        {
            Assert.Equal(HttpStatusCode.OK, stillAlice.StatusCode);
            Assert.Equal(aliceId, (await stillAlice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("userId").GetInt32());
        }

        // An admin on either instance finds both users.
        var admin = await SampleClient.CookieLoginAsync(two, "admin", "admin");
        using var assign = await SampleClient.WithCookieAsync(two, HttpMethod.Post, "/user/assign", admin, new { userId = aliceId, groupIds = new[] { 1 } });
        Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
    }

    [Fact]
    public async Task Registrations_racing_on_two_instances_all_get_distinct_ids_and_a_name_is_taken_only_once()
    {
        var (first, second) = await PairAsync();
        await using var _ = first;
        await using var __ = second;
        using var one = first.CreateApiClient();
        using var two = second.CreateApiClient();

        var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            SampleClient.CreateUserAsync(i % 2 == 0 ? one : two, $"user{i}@email.com", "password")));
        var duplicates = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? one : two).PostAsJsonAsync("/user", new { username = "same@email.com", password = "password" });
            return response.StatusCode;
        }));

        Assert.Equal(20, ids.Distinct().Count());
        Assert.Equal(Enumerable.Range(3, 20), ids.Order());
        Assert.Single(duplicates, s => s == HttpStatusCode.OK);
        Assert.All(duplicates.Where(s => s != HttpStatusCode.OK), s => Assert.Equal(HttpStatusCode.BadRequest, s));
    }

    [Fact]
    public async Task Group_assignments_racing_on_two_instances_each_increment_the_users_version_once()
    {
        var (first, second) = await PairAsync();
        await using var _ = first;
        await using var __ = second;
        using var one = first.CreateApiClient();
        using var two = second.CreateApiClient();
        var userId = await SampleClient.CreateUserAsync(one, "carol@email.com", "carol-password");
        var adminOne = await SampleClient.CookieLoginAsync(one, "admin", "admin");
        var adminTwo = await SampleClient.CookieLoginAsync(two, "admin", "admin");

        var statuses = await Task.WhenAll(new[] { (one, adminOne, 1), (two, adminTwo, 2) }.Select(async assignment =>
        {
            using var response = await SampleClient.WithCookieAsync(assignment.Item1, HttpMethod.Post, "/user/assign", assignment.Item2,
                new { userId, groupIds = new[] { assignment.Item3 } });
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var carol = await SampleClient.CookieLoginAsync(two, "carol@email.com", "carol-password");
        using var me = await SampleClient.WithCookieAsync(one, HttpMethod.Get, "/user/me", carol);
        var permissions = (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ToArray();
        Assert.Equal(new[] { "ASSIGN_USERS", "CREATE_GROUP", "CREATE_ROLE" }, permissions);
        Assert.Equal(3, await PostgresServerFixture.ScalarAsync(first.UsersSettings["ConnectionStrings:users"]!, $"SELECT version FROM users WHERE id = {userId}"));
    }

    [Fact]
    public async Task With_the_local_cache_on_a_token_revoked_on_one_instance_is_refused_by_the_other_on_the_next_request_under_load()
    {
        // A staleness far longer than the test: only the revocation channel can explain a refusal.
        var cache = new Dictionary<string, string?> { ["SessionKit:LocalCache:Enabled"] = "true", ["SessionKit:LocalCache:MaxStaleness"] = "00:10:00" };
        var (first, second) = await PairAsync(cache);
        await using var _ = first;
        await using var __ = second;
        using var one = first.CreateApiClient();
        using var two = second.CreateApiClient();
        await WaitUntilCacheIsTrustedAsync(two, one);
        var victim = await SampleClient.TokenLoginAsync(one, "root", "password");
        var bystander = await SampleClient.TokenLoginAsync(one, "admin", "admin");
        await WarmAsync(two, victim);

        using var stop = new CancellationTokenSource();
        var revokedAt = long.MaxValue;
        var servedAfterRevocation = 0;
        var bystanderFailures = 0;
        var load = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var token = i % 2 == 0 ? victim : bystander;
                var sentAt = System.Diagnostics.Stopwatch.GetTimestamp();
                using var response = await SampleClient.WithTokenAsync(two, HttpMethod.Get, "/member", token);
                if (token == victim && response.StatusCode == HttpStatusCode.OK && sentAt > Interlocked.Read(ref revokedAt))
                {
                    Interlocked.Increment(ref servedAfterRevocation);
                }

                if (token == bystander && response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref bystanderFailures);
                }
            }
        })).ToArray();

        await Task.Delay(300);
        using (var logout = await SampleClient.WithTokenAsync(one, HttpMethod.Post, "/logout", victim))
        {
            Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        }

        Interlocked.Exchange(ref revokedAt, System.Diagnostics.Stopwatch.GetTimestamp());
        using var next = await SampleClient.WithTokenAsync(two, HttpMethod.Get, "/member", victim);
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Equal(HttpStatusCode.Unauthorized, next.StatusCode);
        Assert.Equal(0, servedAfterRevocation);
        Assert.Equal(0, bystanderFailures);
    }

    [Fact]
    public async Task Deleting_records_behind_SessionKits_back_is_seen_at_once_without_the_cache_and_after_the_staleness_with_it()
    {
        // The documented trade-off of the local cache: the operator's direct deletion is not on the revocation channel.
        var prefix = NewPrefix();
        var cache = new Dictionary<string, string?> { ["SessionKit:LocalCache:Enabled"] = "true", ["SessionKit:LocalCache:MaxStaleness"] = "00:10:00" };
        await using var cached = SampleApp.OnRedis(redis.ConnectionString, prefix, cache);
        await using var uncached = SampleApp.OnRedis(redis.ConnectionString, prefix, cached.UsersSettings);
        using var withCache = cached.CreateApiClient();
        using var withoutCache = uncached.CreateApiClient();
        await WaitUntilCacheIsTrustedAsync(withCache, withoutCache);
        var token = await SampleClient.TokenLoginAsync(withoutCache, "root", "password");
        await WarmAsync(withCache, token);

        await redis.CliAsync("FLUSHALL");

        using var fromCache = await SampleClient.WithTokenAsync(withCache, HttpMethod.Get, "/member", token);
        using var fromStore = await SampleClient.WithTokenAsync(withoutCache, HttpMethod.Get, "/member", token);
        Assert.Equal(HttpStatusCode.OK, fromCache.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, fromStore.StatusCode);
    }

    [Fact]
    public async Task Per_subject_maximum_holds_under_fifty_parallel_logins()
    {
        // 50 PBKDF2 verifications at once saturate two cores: generous timeouts keep this a test of the limit, not of latency.
        var limit = new Dictionary<string, string?>
        {
            ["SessionKit:MaxSessionsPerSubject"] = "5",
            ["SessionKit:StoreTimeout"] = "00:00:30",
        };
        var (first, second) = await PairAsync(limit);
        await using var _ = first;
        await using var __ = second;
        using var one = first.CreateApiClient();
        using var two = second.CreateApiClient();
        await SampleClient.CookieLoginAsync(one, "root", "password");
        await SampleClient.CookieLoginAsync(two, "root", "password");

        var cookies = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => SampleClient.CookieLoginAsync(i % 2 == 0 ? one : two, "admin", "admin"))));

        var live = 0;
        foreach (var cookie in cookies)
        {
            using var response = await SampleClient.WithCookieAsync(one, HttpMethod.Get, "/user/me", cookie);
            live += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        Assert.Equal(5, live);
    }

    [Fact]
    public async Task Two_instances_sharing_one_SQLite_file_share_their_users_and_hand_out_distinct_ids()
    {
        var prefix = NewPrefix();
        await using var first = SampleApp.OnRedis(redis.ConnectionString, prefix);
        await using var second = SampleApp.OnRedis(redis.ConnectionString, prefix, first.UsersSettings);
        // One after the other: WebApplicationFactory hosts cannot be built in parallel in one process (each finds its host
        // through a process-wide listener). Two initializations racing on one new file are UsersDatabaseInitializerTests'.
        _ = first.Server;
        _ = second.Server;
        using var one = first.CreateApiClient();
        using var two = second.CreateApiClient();

        var ids = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            SampleClient.CreateUserAsync(i % 2 == 0 ? one : two, $"user{i}@email.com", "password")));
        var cookie = await SampleClient.CookieLoginAsync(two, "user0@email.com", "password");

        Assert.Equal(Enumerable.Range(3, 10), ids.Order());
        using var me = await SampleClient.WithCookieAsync(one, HttpMethod.Get, "/user/me", cookie);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    private static async Task<JsonElement[]> SessionsAsync(HttpClient client, string cookie)
    {
        using var response = await SampleClient.WithCookieAsync(client, HttpMethod.Get, "/sessions", cookie);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToArray();
    }

    private static string NewPrefix() => "two-" + Guid.NewGuid().ToString("N")[..8] + ":";

    /// <summary>Two instances on one Redis key prefix and one new PostgreSQL database.</summary>
    private async Task<(SampleApp First, SampleApp Second)> PairAsync(IDictionary<string, string?>? extra = null)
    {
        var prefix = NewPrefix();
        var settings = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>())
        {
            ["Users"] = "postgres",
            ["ConnectionStrings:users"] = await postgres.CreateDatabaseAsync(),
        };
        var first = SampleApp.OnRedis(redis.ConnectionString, prefix, settings);
        var second = SampleApp.OnRedis(redis.ConnectionString, prefix, settings);
        // Start both at once, as a deployment does: one creates and seeds the tables, the other waits for it.
        await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server));
        return (first, second);
    }

    private static async Task WarmAsync(HttpClient client, string token)
    {
        using var response = await SampleClient.WithTokenAsync(client, HttpMethod.Get, "/member", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// Waits until <paramref name="cached"/>'s local cache is trusted, i.e. its revocation channel is subscribed (until
    /// then it serves nothing from memory): a probe session deleted behind SessionKit's back is then still served.
    /// Leaves the Redis server flushed.
    /// </summary>
    private async Task WaitUntilCacheIsTrustedAsync(HttpClient cached, HttpClient other)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var probe = await SampleClient.TokenLoginAsync(other, "root", "password");
            await WarmAsync(cached, probe);
            await redis.CliAsync("FLUSHALL");
            using var response = await SampleClient.WithTokenAsync(cached, HttpMethod.Get, "/member", probe);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The local cache never became trusted: its revocation channel subscription did not come up.");
    }
}
