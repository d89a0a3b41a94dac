using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SessionKit.Testing.Redis;
using StackExchange.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>
/// <see cref="RedisSessionStoreOptions.RevocationReplicas"/> on the application's own multiplexer: revocations are
/// acknowledged by the replica on a connection SessionKit opens beside it, and fail closed when the replica lags.
/// </summary>
public sealed class RedisRevocationReplicasTests : IAsyncLifetime
{
    private readonly RedisServerProcess _primary = new();
    private RedisServerProcess? _replica;

    public async ValueTask InitializeAsync()
    {
        await _primary.StartAsync();
        _replica = new RedisServerProcess(0, null, "--replicaof", "127.0.0.1", _primary.Port.ToString(CultureInfo.InvariantCulture));
        await _replica.StartAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!(await _replica.CliAsync("INFO", "replication")).Contains("master_link_status:up", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "The replica did not connect.");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_replica is not null)
        {
            await _replica.DisposeAsync();
        }

        await _primary.DisposeAsync();
    }

    [Fact]
    public async Task Revocations_on_an_app_multiplexer_wait_for_the_replica_on_a_connection_of_their_own_and_fail_closed_without_it()
    {
        await using var own = await ConnectionMultiplexer.ConnectAsync(_primary.ConnectionString);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSessionKit(o => o.StoreTimeout = TimeSpan.FromSeconds(3)).AddRedisStore(o =>
        {
            o.KeyPrefix = RedisStores.NewPrefix();
            o.ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(own);
            o.RevocationReplicas = 1;
        });
        await using var provider = services.BuildServiceProvider();
        var sessions = provider.GetRequiredService<SessionManager>();

        var acknowledged = await sessions.CreateAsync(new SessionCreateRequest { Scheme = "S", Subject = "frank" });
        Assert.True(await sessions.RevokeAsync(acknowledged.Id));
        Assert.False((await sessions.ValidateAsync(acknowledged.Id, "S")).IsValid);

        var lagging = await sessions.CreateAsync(new SessionCreateRequest { Scheme = "S", Subject = "frank" });
        await _primary.CliAsync("CLIENT", "KILL", "TYPE", "replica");
        await _replica!.PauseAsync();
        try
        {
            var revoke = sessions.RevokeAsync(lagging.Id);
            // While the revocation's WAIT blocks its own connection, the app's multiplexer answers.
            var ping = own.GetDatabase().PingAsync();
            Assert.Same(ping, await Task.WhenAny(ping, revoke, Task.Delay(TimeSpan.FromSeconds(2.5))));
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => revoke);
        }
        finally
        {
            await _replica.ResumeAsync();
        }

        Assert.True(own.IsConnected);
    }
}
