using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SessionKit.Testing.Redis;
using StackExchange.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>
/// SessionKit does not tune a multiplexer the application owns; with the settings the package README recommends, it
/// heals as quickly as SessionKit's own connections after a Redis restart.
/// </summary>
public sealed class RedisAppMultiplexerHealingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan HealWithin = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly RedisServerProcess _server = new(0, null, "--appendonly", "yes", "--appendfsync", "always");

    public ValueTask InitializeAsync() => new(_server.StartAsync());

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task An_app_multiplexer_with_the_recommended_settings_heals_within_two_seconds_of_a_restart()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["ConnectionStrings:redis"] = _server.ConnectionString;
        // The README's recommended settings.
        builder.AddRedisClient("redis", configureOptions: o =>
        {
            o.AbortOnConnectFail = false;
            o.ReconnectRetryPolicy = new LinearRetry(750);
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(250);
        });
        builder.Services.AddSessionKit(o => o.StoreTimeout = TimeSpan.FromSeconds(1)).AddRedisStore(o => o.KeyPrefix = RedisStores.NewPrefix());
        await using var app = builder.Build();
        // What is timed is the healing; the app's multiplexer connecting for the first time is not.
        await RedisStores.ConnectedAsync(app.Services.GetRequiredService<RedisSessionStore>());
        var sessions = app.Services.GetRequiredService<SessionManager>();
        var created = await sessions.CreateAsync(new SessionCreateRequest { Scheme = "S", Subject = "dave" });

        await _server.StopAsync();
        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => sessions.ValidateAsync(created.Id, "S"));
        await _server.StartAsync();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await sessions.ValidateAsync(created.Id, "S")).IsValid)
                {
                    break;
                }
            }
            catch (SessionStoreUnavailableException) when (clock.Elapsed < Patience)
            {
                await Task.Delay(50);
            }
        }

        output.WriteLine($"Healed {clock.Elapsed.TotalMilliseconds:0} ms after Redis accepted connections again.");
        Assert.True(clock.Elapsed < HealWithin, $"Healed in {clock.Elapsed.TotalMilliseconds:0} ms.");
    }
}
