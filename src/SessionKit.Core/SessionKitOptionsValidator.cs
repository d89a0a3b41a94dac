using Microsoft.Extensions.Options;

namespace SessionKit;

/// <summary>Checks <see cref="SessionKitOptions"/> at start-up, with messages that say how to fix them.</summary>
internal sealed class SessionKitOptionsValidator(IServiceProvider services) : IValidateOptions<SessionKitOptions>
{
    internal const string CacheNeedsChangeFeed =
        "SessionKitOptions.LocalCache.Enabled needs a session store with a change feed (the Redis store has one): without it, " +
        "a logout or permission change made on another instance would be served stale from this instance's cache. " +
        "The in-memory store needs no cache, and the MongoDB store has no change feed: turn LocalCache off.";

    public ValidateOptionsResult Validate(string? name, SessionKitOptions options)
    {
        var failures = new List<string>();
        if (options.IdleTimeout <= TimeSpan.Zero)
        {
            failures.Add($"SessionKitOptions.IdleTimeout must be positive (was {options.IdleTimeout}); for example TimeSpan.FromMinutes(30).");
        }

        if (options.AbsoluteLifetime <= TimeSpan.Zero)
        {
            failures.Add($"SessionKitOptions.AbsoluteLifetime must be positive (was {options.AbsoluteLifetime}); for example TimeSpan.FromHours(8).");
        }
        else if (options.IdleTimeout > options.AbsoluteLifetime)
        {
            failures.Add($"SessionKitOptions.IdleTimeout ({options.IdleTimeout}) must not exceed AbsoluteLifetime ({options.AbsoluteLifetime}); lower the idle timeout or raise the lifetime.");
        }

        if (double.IsNaN(options.TouchThreshold) || options.TouchThreshold < 0 || options.TouchThreshold > 1)
        {
            failures.Add($"SessionKitOptions.TouchThreshold must be between 0 and 1 (was {options.TouchThreshold}); 0.1 writes at most once per tenth of the idle timeout.");
        }

        if (options.MaxSessionsPerSubject < 0)
        {
            failures.Add($"SessionKitOptions.MaxSessionsPerSubject must be 0 (no limit) or positive (was {options.MaxSessionsPerSubject}).");
        }

        if (options.StoreTimeout <= TimeSpan.Zero)
        {
            failures.Add($"SessionKitOptions.StoreTimeout must be positive (was {options.StoreTimeout}); for example TimeSpan.FromSeconds(2).");
        }

        if (options.MaxUserAgentLength < 0)
        {
            failures.Add($"SessionKitOptions.MaxUserAgentLength must not be negative (was {options.MaxUserAgentLength}).");
        }

        if (options.MaxDataBytes <= 0)
        {
            failures.Add($"SessionKitOptions.MaxDataBytes must be positive (was {options.MaxDataBytes}); the default is 16384.");
        }

        if (options.LocalCache is null)
        {
            failures.Add("SessionKitOptions.LocalCache must not be null; set its properties instead.");
        }
        else if (options.LocalCache.Enabled && (options.LocalCache.MaxStaleness <= TimeSpan.Zero || options.LocalCache.MaxEntries <= 0))
        {
            failures.Add($"SessionKitOptions.LocalCache needs a positive MaxStaleness and MaxEntries when enabled (were {options.LocalCache.MaxStaleness} and {options.LocalCache.MaxEntries}).");
        }
        else if (options.LocalCache.Enabled && services.GetService(typeof(ISessionChangeFeed)) is null)
        {
            failures.Add(CacheNeedsChangeFeed);
        }

        if (options.Events is null)
        {
            failures.Add("SessionKitOptions.Events must not be null; set callbacks on the existing instance instead.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
