using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionKit;
using SessionKit.Mongo;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the MongoDB <see cref="ISessionStore"/>.</summary>
public static class MongoSessionKitBuilderExtensions
{
    /// <summary>
    /// Stores SessionKit's sessions in MongoDB, replacing the in-memory store. The connection string is checked at
    /// start-up (options validation); the first store call connects and creates the indexes (idempotently).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionKit</c>.</param>
    /// <param name="connectionString">A <c>mongodb://</c> connection string.</param>
    /// <param name="configure">Further options (database, collection, write concern).</param>
    /// <returns>The same builder, for chaining.</returns>
    public static SessionKitBuilder AddMongoStore(this SessionKitBuilder builder, string connectionString, Action<MongoSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        builder.Services.AddOptions<MongoSessionStoreOptions>()
            .Configure(o =>
            {
                o.ConnectionString = connectionString;
                configure?.Invoke(o);
            })
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MongoSessionStoreOptions>, MongoSessionStoreOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Replace(ServiceDescriptor.Singleton<ISessionStore>(static sp => new MongoSessionStore(
            MongoStoreSettings.From(sp.GetRequiredService<IOptions<MongoSessionStoreOptions>>().Value),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<MongoSessionStore>())));
        return builder;
    }
}
