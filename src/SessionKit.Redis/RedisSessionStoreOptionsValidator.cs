using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>Checks <see cref="RedisSessionStoreOptions"/> at start-up, with messages that say how to fix them.</summary>
internal sealed class RedisSessionStoreOptionsValidator(IServiceProvider services) : IValidateOptions<RedisSessionStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisSessionStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.KeyPrefix) || options.KeyPrefix.Contains('{', StringComparison.Ordinal) || options.KeyPrefix.Contains('}', StringComparison.Ordinal))
        {
            failures.Add("RedisSessionStoreOptions.KeyPrefix must be non-empty and contain no '{' or '}' (the store adds the Redis Cluster hash tag after it).");
        }

        if (options.ChannelName is { Length: 0 })
        {
            failures.Add("RedisSessionStoreOptions.ChannelName must be null (the default) or non-empty.");
        }

        if (options.ConfirmationTimeout <= TimeSpan.Zero)
        {
            failures.Add($"RedisSessionStoreOptions.ConfirmationTimeout must be positive (was {options.ConfirmationTimeout}); the default is 1 second.");
        }

        if (options.RevocationReplicas < 0)
        {
            failures.Add("RedisSessionStoreOptions.RevocationReplicas must be 0 (off) or the number of replicas that must acknowledge a revocation.");
        }

        var sources = (options.Configuration is not null ? 1 : 0) + (options.ConfigurationOptions is not null ? 1 : 0) + (options.ConnectionMultiplexerFactory is not null ? 1 : 0);
        if (sources > 1)
        {
            failures.Add("Set only one of RedisSessionStoreOptions.Configuration, ConfigurationOptions and ConnectionMultiplexerFactory.");
        }
        else if (sources == 1 && options.ConnectionMultiplexerServiceKey is not null)
        {
            failures.Add("RedisSessionStoreOptions.ConnectionMultiplexerServiceKey names the application's multiplexer: leave Configuration, ConfigurationOptions and ConnectionMultiplexerFactory unset to use it.");
        }
        else if (sources == 0 && !IsRegistered(options.ConnectionMultiplexerServiceKey))
        {
            failures.Add(options.ConnectionMultiplexerServiceKey is { } key
                ? $"No IConnectionMultiplexer is registered with the service key '{key}'. Register it (for example builder.AddKeyedRedisClient(\"{key}\")) or set RedisSessionStoreOptions.Configuration."
                : "AddRedisStore() without a configuration uses the application's IConnectionMultiplexer, and none is registered. Register one (for example builder.AddRedisClient(\"redis\")), or pass a configuration string: AddRedisStore(\"localhost:6379\").");
        }

        try
        {
            if (options.Configuration is { } configuration)
            {
                _ = RedisConfiguration.Parse(configuration, nameof(RedisSessionStoreOptions.Configuration));
            }
            else if (options.ConfigurationOptions is { } configurationOptions)
            {
                RedisConfiguration.Validate(configurationOptions, nameof(RedisSessionStoreOptions.ConfigurationOptions));
            }
        }
        catch (ArgumentException exception)
        {
            failures.Add(exception.Message);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private bool IsRegistered(object? key) => key is null
        ? services.GetService<IServiceProviderIsService>()?.IsService(typeof(IConnectionMultiplexer)) ?? true
        : services.GetService<IServiceProviderIsKeyedService>()?.IsKeyedService(typeof(IConnectionMultiplexer), key) ?? true;
}
