using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

public sealed class RedisStoreRegistrationTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task AddRedisStore_replaces_the_in_memory_store_and_sessions_survive_a_second_app_instance()
    {
        var prefix = "reg-" + Guid.NewGuid().ToString("N")[..8] + ":";
        await using var first = BuildServices(redis.ConnectionString, prefix);
        await using var second = BuildServices(redis.ConnectionString, prefix);

        Assert.IsType<RedisSessionStore>(first.GetRequiredService<ISessionStore>());
        var created = await first.GetRequiredService<SessionManager>().CreateAsync(new SessionCreateRequest { Subject = "alice", Scheme = "S", Permissions = ["READ"] });
        var seenBySecond = await second.GetRequiredService<SessionManager>().ValidateAsync(created.Id, "S");
        Assert.True(seenBySecond.IsValid);
        Assert.Equal(["READ"], seenBySecond.Session!.Permissions);

        Assert.True(await second.GetRequiredService<SessionManager>().RevokeAsync(created.Id));
        Assert.False((await first.GetRequiredService<SessionManager>().ValidateAsync(created.Id, "S")).IsValid);
    }

    [Fact]
    public async Task An_unreachable_server_does_not_prevent_creating_the_store()
    {
        await using var services = BuildServices("127.0.0.1:" + RedisServerProcess.FreePort(), "down:");

        Assert.IsType<RedisSessionStore>(services.GetRequiredService<ISessionStore>());
        Assert.NotNull(services.GetRequiredService<SessionManager>());
    }

    [Theory]
    [InlineData("has{brace}:")]
    [InlineData("")]
    public async Task A_key_prefix_that_would_break_the_cluster_hash_tag_is_rejected(string prefix)
    {
        await using var services = BuildServices(redis.ConnectionString, prefix);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value);
        Assert.Contains("KeyPrefix", failure.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider BuildServices(string configuration, string prefix)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSessionKit().AddRedisStore(configuration, o => o.KeyPrefix = prefix);
        return services.BuildServiceProvider();
    }
}
