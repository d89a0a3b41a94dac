using System.Collections.Concurrent;
using System.Net;
using SessionKit.Testing.Redis;

namespace SessionKit.Sample.IntegrationTests;

/// <summary>
/// A real redis-server killed and restarted on the same port while requests flow: the app fails closed (503, never
/// 200 or 500) and heals by itself.
/// </summary>
public sealed class OutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>How soon after Redis accepts connections again authenticated requests must succeed (connections SessionKit opens).</summary>
    private static readonly TimeSpan HealWithin = TimeSpan.FromSeconds(2);

    // AOF with fsync on every write, so sessions survive the restart and "healed" means the same credentials work again.
    private readonly RedisServerProcess _redis = new(0, null, "--appendonly", "yes", "--appendfsync", "always");
    private readonly ConcurrentDictionary<(string Phase, HttpStatusCode Status), int> _counts = new();
    private volatile string _phase = "up";

    public ValueTask InitializeAsync() => new(_redis.StartAsync());

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Store_outage_answers_503_never_200_or_500_and_the_app_heals_when_redis_returns()
    {
        // Short enough that the outage shows within the test, long enough that a loaded CI machine never times out while Redis is up.
        var timeouts = new Dictionary<string, string?> { ["SessionKit:StoreTimeout"] = "00:00:03" };
        await using var app = SampleApp.OnRedis(_redis.ConnectionString, "outage:", timeouts);
        using var client = app.CreateApiClient();
        var cookie = await SampleClient.CookieLoginAsync(client, "admin", "admin");
        var token = await SampleClient.TokenLoginAsync(client, "root", "password");

        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var startedIn = _phase;
                using var response = i % 2 == 0
                    ? await SampleClient.WithCookieAsync(client, HttpMethod.Get, "/user/me", cookie)
                    : await SampleClient.WithTokenAsync(client, HttpMethod.Get, "/member", token);
                // A request in flight across a phase change (e.g. sent while Redis was up, answered after it stopped) belongs
                // to neither phase; it is booked under the transition and held only to the never-500 rule.
                var endedIn = _phase;
                var phase = startedIn == endedIn ? startedIn : startedIn + "→" + endedIn;
                _counts.AddOrUpdate((phase, response.StatusCode), 1, static (_, n) => n + 1);
            }
        })).ToArray();

        await Task.Delay(1000);
        _phase = "stopping";
        await _redis.StopAsync();
        _phase = "down";
        await Task.Delay(3000);
        using (var loginDuringOutage = await client.PostAsync("/user/login", System.Net.Http.Json.JsonContent.Create(new { username = "admin", password = "admin" })))
        using (var healthDuringOutage = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, loginDuringOutage.StatusCode);
            Assert.Equal("application/problem+json", loginDuringOutage.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, healthDuringOutage.StatusCode);
        }

        _phase = "restarting";
        await _redis.StartAsync();
        // From the moment Redis answers PING (StartAsync returns then) to the first 200 of a request sent since.
        var healing = System.Diagnostics.Stopwatch.StartNew();
        await WaitForAsync(() => Count("restarting", HttpStatusCode.OK) > 0, TimeSpan.FromSeconds(30));
        var healed = healing.Elapsed;
        output.WriteLine($"Healed {healed.TotalMilliseconds:0} ms after Redis accepted connections again.");
        _phase = "healed";
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var report = string.Join(", ", _counts.OrderBy(c => c.Key.Phase).Select(c => $"{c.Key.Phase}/{(int)c.Key.Status}: {c.Value}"));
        Assert.True(Count("up", HttpStatusCode.OK) > 0 && Count("up", HttpStatusCode.OK) == Total("up"), "up: all 200 — " + report);
        Assert.True(Count("down", HttpStatusCode.ServiceUnavailable) > 0 && Count("down", HttpStatusCode.ServiceUnavailable) == Total("down"), "down: all 503 — " + report);
        Assert.True(Count("healed", HttpStatusCode.OK) > 0 && Count("healed", HttpStatusCode.OK) == Total("healed"), "healed: all 200 — " + report);
        Assert.False(_counts.Keys.Any(c => c.Status == HttpStatusCode.InternalServerError), "no 500 — " + report);
        Assert.False(_counts.Keys.Any(c => c.Status is HttpStatusCode.Unauthorized or HttpStatusCode.OK && c.Phase == "down"), "nobody authenticated or signed out by the outage — " + report);
        using var healthAfter = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, healthAfter.StatusCode);
        Assert.True(healed < HealWithin, $"Healed in {healed.TotalMilliseconds:0} ms; expected under {HealWithin.TotalMilliseconds:0} ms — {report}");
    }

    private int Count(string phase, HttpStatusCode status) => _counts.GetValueOrDefault((phase, status));

    private int Total(string phase) => _counts.Where(c => c.Key.Phase == phase).Sum(c => c.Value);

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The app did not serve a 200 within " + limit + " of Redis coming back.");
            await Task.Delay(100);
        }
    }
}
