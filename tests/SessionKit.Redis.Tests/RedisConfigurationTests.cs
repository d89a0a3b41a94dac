using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SessionKit.Redis.Tests;

/// <summary>Configuration the client cannot use fails at start-up, saying what is wrong, and never echoes a password.</summary>
public sealed class RedisConfigurationTests
{
    private const string Password = "s3cret-Pa55";

    public static TheoryData<string, string> Unusable => new()
    {
        { "redis://:" + Password + "@127.0.0.1:6379", "URL" },
        { "redis://127.0.0.1:6379", "URL" },
        { "127.0.0.1:6379,password=" + Password + ",=bad", "no option name" },
        { "password=" + Password, "names no server" },
        { "password=" + Password + ",serviceName=mymaster", "names no server" },
        { "127.0.0.1:6379,password=" + Password + ",noSuchKeyword=1", "noSuchKeyword" },
        { "127.0.0.1:6379,password=" + Password + ",connectTimeout=soon", "connectTimeout" },
        { "127.0.0.1:6379,bad host:1", "not 'host:port'" },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public void A_configuration_string_the_client_cannot_use_fails_at_registration_naming_the_problem(string configuration, string named)
    {
        var services = new ServiceCollection();

        var failure = Assert.Throws<ArgumentException>(() => services.AddSessionKit().AddRedisStore(configuration));

        Assert.Equal("configuration", failure.ParamName);
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failure.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Unusable))]
    public async Task The_same_configuration_set_as_an_option_fails_at_start_up_naming_the_problem(string configuration, string named)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSessionKit().AddRedisStore(o => o.Configuration = configuration);
        await using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value);

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_configuration_and_without_a_registered_multiplexer_start_up_fails_saying_what_to_register()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSessionKit().AddRedisStore();
        await using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value);

        Assert.Contains("IConnectionMultiplexer", failure.Message, StringComparison.Ordinal);
        Assert.Contains("AddRedisClient", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_connection_sources_at_once_are_refused()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSessionKit().AddRedisStore(o =>
        {
            o.Configuration = "127.0.0.1:6379";
            o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse("127.0.0.1:6379");
        });
        await using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisSessionStoreOptions>>().Value);

        Assert.Contains("only one of", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connections_SessionKit_opens_reconnect_every_750_ms_on_a_250_ms_heartbeat_and_never_abort()
    {
        var tuned = RedisConfiguration.ForOwnedConnection(StackExchange.Redis.ConfigurationOptions.Parse("127.0.0.1:6379,abortConnect=true"));

        Assert.False(tuned.AbortOnConnectFail);
        var policy = Assert.IsType<StackExchange.Redis.LinearRetry>(tuned.ReconnectRetryPolicy);
        Assert.False(policy.ShouldRetry(0, 700));
        Assert.True(policy.ShouldRetry(0, 750));
        Assert.Equal(TimeSpan.FromMilliseconds(250), tuned.HeartbeatInterval);
    }

    [Fact]
    public void A_reconnect_policy_of_the_applications_own_is_kept()
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse("127.0.0.1:6379");
        var own = new StackExchange.Redis.LinearRetry(3000);
        options.ReconnectRetryPolicy = own;

        Assert.Same(own, RedisConfiguration.ForOwnedConnection(options).ReconnectRetryPolicy);
    }

    // StackExchange.Redis 3.x marks SocketManager obsolete ("no longer used by StackExchange.Redis"); these tests also
    // compile against 3.x, where the setting is kept but has no effect.
#pragma warning disable CS0618
    [Fact]
    public void Connections_SessionKit_opens_read_on_the_thread_pool_unless_given_a_socket_manager()
    {
        using var own = new StackExchange.Redis.SocketManager("app");
        var options = StackExchange.Redis.ConfigurationOptions.Parse("127.0.0.1:6379");

        Assert.Same(StackExchange.Redis.SocketManager.ThreadPool, RedisConfiguration.ForOwnedConnection(options).SocketManager);
        options.SocketManager = own;
        Assert.Same(own, RedisConfiguration.ForOwnedConnection(options).SocketManager);
    }
#pragma warning restore CS0618
}
