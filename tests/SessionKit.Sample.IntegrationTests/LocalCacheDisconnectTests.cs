using System.Net;
using SessionKit.Testing.Redis;

namespace SessionKit.Sample.IntegrationTests;

/// <summary>
/// The local cache across a Redis restart, two instances: while the revocation channel is down an instance serves
/// nothing from its cache (503, never a cached 200), and once it is back revocations reach it again. The channel rides
/// its own connection on RESP2 and the interactive one on RESP3 (StackExchange.Redis 3.x); CI runs this on both.
/// </summary>
public sealed class LocalCacheDisconnectTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // AOF with fsync on every write, so sessions survive the restart.
    private readonly RedisServerProcess _redis = new(0, null, "--appendonly", "yes", "--appendfsync", "always");

    public ValueTask InitializeAsync() => new(_redis.StartAsync());

    public ValueTask DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task An_instance_serves_nothing_from_its_cache_while_disconnected_and_sees_revocations_again_after()
    {
        var settings = new Dictionary<string, string?>
        {
            ["SessionKit:LocalCache:Enabled"] = "true",
            ["SessionKit:LocalCache:MaxStaleness"] = "00:10:00",
            ["SessionKit:StoreTimeout"] = "00:00:02",
        };
        await using var first = SampleApp.OnRedis(_redis.ConnectionString, "cache-disconnect:", settings);
        await using var second = SampleApp.OnRedis(_redis.ConnectionString, "cache-disconnect:", settings);
        using var a = first.CreateApiClient();
        using var b = second.CreateApiClient();
        var token = await SampleClient.TokenLoginAsync(a, "root", "password");
        await EventuallyAsync(b, token, HttpStatusCode.OK); // cached on the second instance from here on

        await _redis.StopAsync();
        // Not a cached 200: the subscription is down, so the cache is distrusted and the store (down) is asked.
        await EventuallyAsync(b, token, HttpStatusCode.ServiceUnavailable);
        using (var whileDown = await SampleClient.WithTokenAsync(b, HttpMethod.Get, "/member", token))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, whileDown.StatusCode);
        }

        await _redis.StartAsync();
        await EventuallyAsync(b, token, HttpStatusCode.OK);
        await EventuallyAsync(a, token, HttpStatusCode.OK);

        using (var logout = await SampleClient.WithTokenAsync(a, HttpMethod.Post, "/logout", token))
        {
            Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        }

        // The revocation reached the second instance's cache through the re-established subscription at once.
        using var afterLogout = await SampleClient.WithTokenAsync(b, HttpMethod.Get, "/member", token);
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
    }

    private static async Task EventuallyAsync(HttpClient client, string token, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var response = await SampleClient.WithTokenAsync(client, HttpMethod.Get, "/member", token);
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            if (response.StatusCode == expected)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Still {(int)response.StatusCode}, expected {(int)expected}.");
            await Task.Delay(100);
        }
    }
}
