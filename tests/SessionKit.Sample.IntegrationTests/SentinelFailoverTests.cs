using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using SessionKit.Testing.Redis;

namespace SessionKit.Sample.IntegrationTests;

/// <summary>
/// The sample behind Redis Sentinel while its primary is killed (SIGKILL) under bounded load: during the failover
/// requests answer 503 (never 500, and never 401 for a session that had reached the replica), and once the replica is
/// promoted they succeed again without an app restart.
/// </summary>
/// <remarks>
/// The client also connects to the replica and sends reads there while no primary is known, so most authenticated
/// requests keep succeeding during the failover; writes (sign-ins, touches) answer 503 until the promotion. Recovery is
/// therefore timed by the first successful sign-in.
/// </remarks>
public sealed class SentinelFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Workers = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private readonly RedisSentinelFixture _sentinel = new();
    private readonly ConcurrentDictionary<(string Phase, HttpStatusCode Status), int> _counts = new();
    private volatile string _phase = "up";

    public ValueTask InitializeAsync() => _sentinel.InitializeAsync();

    public ValueTask DisposeAsync() => _sentinel.DisposeAsync();

    [Fact]
    public async Task Killing_the_primary_answers_503_during_the_failover_never_500_or_401_and_recovers_without_a_restart()
    {
        await using var app = SampleApp.OnRedis(_sentinel.ConnectionString, "failover:", new Dictionary<string, string?> { ["SessionKit:StoreTimeout"] = "00:00:02" });
        using var client = app.CreateApiClient();
        var cookie = await SampleClient.CookieLoginAsync(client, "admin", "admin");
        var token = await SampleClient.TokenLoginAsync(client, "root", "password");
        await _sentinel.WaitForReplicationAsync(); // both sessions are on the replica

        using var stop = new CancellationTokenSource();
        var sent = 0;
        var workers = Enumerable.Range(0, Workers).Select(i => Task.Run(async () =>
        {
            // Bounded: at most this many requests per worker, and stopped by the test.
            for (var n = 0; n < 5_000 && !stop.IsCancellationRequested; n++)
            {
                var startedIn = _phase;
                using var response = i % 2 == 0
                    ? await SampleClient.WithCookieAsync(client, HttpMethod.Get, "/user/me", cookie)
                    : await SampleClient.WithTokenAsync(client, HttpMethod.Get, "/member", token);
                var endedIn = _phase;
                _counts.AddOrUpdate((startedIn == endedIn ? startedIn : startedIn + "→" + endedIn, response.StatusCode), 1, static (_, c) => c + 1);
                Interlocked.Increment(ref sent);
                await Task.Delay(20);
            }
        })).ToArray();

        await WaitForAsync(() => Count("up", HttpStatusCode.OK) >= Workers);
        var oldPrimary = _sentinel.Primary.Port;
        _phase = "failover";
        var clock = Stopwatch.StartNew();
        await _sentinel.Primary.StopAsync();
        var signInsRefused = 0;
        while (true)
        {
            using var login = await client.PostAsync("/user/login", System.Net.Http.Json.JsonContent.Create(new { username = "admin", password = "admin" }));
            if (login.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
            signInsRefused++;
            Assert.True(clock.Elapsed < Patience, "No sign-in succeeded after the failover.");
            await Task.Delay(100);
        }

        var recovered = clock.Elapsed;
        await _sentinel.WaitForFailoverAsync(oldPrimary, Patience);
        var promoted = clock.Elapsed;
        _phase = "after";
        await WaitForAsync(() => Count("after", HttpStatusCode.OK) >= Workers * 10);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var report = string.Join(", ", _counts.OrderBy(c => c.Key.Phase, StringComparer.Ordinal).Select(c => $"{c.Key.Phase}/{(int)c.Key.Status}: {c.Value}"));
        output.WriteLine($"Primary killed; first sign-in after {recovered.TotalMilliseconds:0} ms; promotion confirmed by the sentinels at {promoted.TotalMilliseconds:0} ms ({signInsRefused} refused with 503 before). {sent} requests: {report}");
        Assert.DoesNotContain(_counts.Keys, c => c.Status == HttpStatusCode.InternalServerError);
        Assert.DoesNotContain(_counts.Keys, c => c.Status == HttpStatusCode.Unauthorized);
        Assert.All(_counts.Keys.Where(c => c.Phase.Contains("failover", StringComparison.Ordinal)), c => Assert.Contains(c.Status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.Equal(Total("up"), Count("up", HttpStatusCode.OK));
        Assert.Equal(Total("after"), Count("after", HttpStatusCode.OK));
    }

    private int Count(string phase, HttpStatusCode status) => _counts.GetValueOrDefault((phase, status));

    private int Total(string phase) => _counts.Where(c => c.Key.Phase == phase).Sum(c => c.Value);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within " + Patience + ".");
            await Task.Delay(50);
        }
    }
}
