using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SessionKit.Testing.Redis;
using StackExchange.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>
/// The store on the application's own multiplexer, registered by Aspire's Redis client integration (no Aspire host):
/// sessions work through it, a keyed one can be named, and SessionKit never disposes it.
/// </summary>
public sealed class RedisAppMultiplexerTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task AddRedisStore_without_arguments_uses_the_multiplexer_of_AddRedisClient_and_never_disposes_it()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["ConnectionStrings:redis"] = redis.ConnectionString;
        builder.AddRedisClient("redis");
        builder.Services.AddSessionKit().AddRedisStore(o => o.KeyPrefix = RedisStores.NewPrefix());
        IConnectionMultiplexer appMultiplexer;
        await using (var app = builder.Build())
        {
            appMultiplexer = app.Services.GetRequiredService<IConnectionMultiplexer>();
            var sessions = app.Services.GetRequiredService<SessionManager>();
            var created = await sessions.CreateAsync(new SessionCreateRequest { Scheme = "S", Subject = "alice" });
            Assert.True((await sessions.ValidateAsync(created.Id, "S")).IsValid);

            var store = app.Services.GetRequiredService<RedisSessionStore>();
            Assert.Same(appMultiplexer, await store.Connection.GetConnectedAsync(CancellationToken.None));
            await store.DisposeAsync();
            Assert.True(appMultiplexer.IsConnected);
            Assert.Equal("PONG", (string?)await appMultiplexer.GetDatabase().ExecuteAsync("PING"));
        }
    }

    [Fact]
    public async Task A_keyed_multiplexer_is_named_by_its_service_key()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["ConnectionStrings:sessions"] = redis.ConnectionString;
        builder.AddKeyedRedisClient("sessions");
        builder.Services.AddSessionKit().AddRedisStore(o =>
        {
            o.KeyPrefix = RedisStores.NewPrefix();
            o.ConnectionMultiplexerServiceKey = "sessions";
        });
        await using var app = builder.Build();

        var sessions = app.Services.GetRequiredService<SessionManager>();
        var created = await sessions.CreateAsync(new SessionCreateRequest { Scheme = "S", Subject = "bob" });

        Assert.True((await sessions.ValidateAsync(created.Id, "S")).IsValid);
        Assert.Same(app.Services.GetRequiredKeyedService<IConnectionMultiplexer>("sessions"), await app.Services.GetRequiredService<RedisSessionStore>().Connection.GetConnectedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_factory_multiplexer_is_used_and_left_open()
    {
        await using var own = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSessionKit().AddRedisStore(o =>
        {
            o.KeyPrefix = RedisStores.NewPrefix();
            o.ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(own);
        });
        await using (var provider = services.BuildServiceProvider())
        {
            var sessions = provider.GetRequiredService<SessionManager>();
            Assert.True((await sessions.ValidateAsync((await sessions.CreateAsync(new SessionCreateRequest { Scheme = "S", Subject = "carol" })).Id, "S")).IsValid);
        }

        Assert.True(own.IsConnected);
    }
}
