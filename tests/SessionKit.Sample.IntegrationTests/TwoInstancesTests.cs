using System.Net;
using SessionKit.Testing.Redis;

namespace SessionKit.Sample.IntegrationTests;

/// <summary>Two sample instances on one Redis, as behind a load balancer.</summary>
public sealed class TwoInstancesTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Login_on_one_instance_works_on_the_other_and_logout_there_ends_it_on_both()
    {
        var prefix = NewPrefix();
        await using var first = SampleApp.OnRedis(redis.ConnectionString, prefix);
        await using var second = SampleApp.OnRedis(redis.ConnectionString, prefix);
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
    public async Task With_the_local_cache_on_a_token_revoked_on_one_instance_is_refused_by_the_other_on_the_next_request_under_load()
    {
        var prefix = NewPrefix();
        // A staleness far longer than the test: only the revocation channel can explain a refusal.
        var cache = new Dictionary<string, string?> { ["SessionKit:LocalCache:Enabled"] = "true", ["SessionKit:LocalCache:MaxStaleness"] = "00:10:00" };
        await using var first = SampleApp.OnRedis(redis.ConnectionString, prefix, cache);
        await using var second = SampleApp.OnRedis(redis.ConnectionString, prefix, cache);
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
        await using var uncached = SampleApp.OnRedis(redis.ConnectionString, prefix);
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
        var prefix = NewPrefix();
        // 50 PBKDF2 verifications at once saturate two cores: generous timeouts keep this a test of the limit, not of latency.
        var limit = new Dictionary<string, string?>
        {
            ["SessionKit:MaxSessionsPerSubject"] = "5",
            ["SessionKit:StoreTimeout"] = "00:00:30",
        };
        await using var first = SampleApp.OnRedis(redis.ConnectionString, prefix, limit);
        await using var second = SampleApp.OnRedis(redis.ConnectionString, prefix, limit);
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

    private static string NewPrefix() => "two-" + Guid.NewGuid().ToString("N")[..8] + ":";

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
