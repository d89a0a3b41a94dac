namespace SessionKit.Sample;

/// <summary>Chooses the session store from the <c>Store</c> setting (<c>--store redis</c> on the command line).</summary>
internal static class SampleStoreConfiguration
{
    /// <summary>The configuration key naming the store: <c>memory</c> (default), <c>redis</c> or <c>mongo</c>.</summary>
    public const string StoreKey = "Store";

    public static SessionKitBuilder AddSampleStore(this SessionKitBuilder sessions, IConfiguration configuration)
    {
        var store = configuration[StoreKey] ?? "memory";
        switch (store.ToLowerInvariant())
        {
            case "memory":
                // AddSessionKit() already registered the in-memory store.
                return sessions;
            case "redis":
                return sessions.AddRedisStore(ConnectionString(configuration, "redis"), o => configuration.GetSection("Redis").Bind(o));
            case "mongo":
                return sessions.AddMongoStore(ConnectionString(configuration, "mongo"), o => configuration.GetSection("Mongo").Bind(o));
            default:
                throw new InvalidOperationException($"Unknown Store '{store}'. Use memory (default), redis or mongo, e.g. --Store redis.");
        }
    }

    private static string ConnectionString(IConfiguration configuration, string name)
        => configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Store '{name}' needs ConnectionStrings:{name} (e.g. --ConnectionStrings:{name} localhost:6379).");
}
