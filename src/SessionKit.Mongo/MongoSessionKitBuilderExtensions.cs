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
    /// Stores SessionKit's sessions in MongoDB through the app's own client, replacing the in-memory store: the
    /// <c>MongoDB.Driver.IMongoDatabase</c> registered in the service container (Aspire's <c>AddMongoDBClient</c> registers one when its
    /// connection string names a database), else the database <c>sessionkit</c> (or
    /// <see cref="MongoSessionStoreOptions.DatabaseName"/>) on the registered <c>MongoDB.Driver.IMongoClient</c>. SessionKit never
    /// disposes that client. Start-up fails when neither is registered.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionKit()</c>.</param>
    /// <param name="configure">Configures the store's options.</param>
    /// <returns>The same builder.</returns>
    public static SessionKitBuilder AddMongoStore(this SessionKitBuilder builder, Action<MongoSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddMongoStore(builder, MongoClientSource.FromServices, configure);
    }

    /// <summary>
    /// Stores SessionKit's sessions in MongoDB through a client SessionKit creates from <paramref name="connectionString"/>
    /// (and disposes with the service provider), replacing the in-memory store. The string is parsed here, so a
    /// malformed one fails start-up with the driver's message; the client connects on first use and reconnects by
    /// itself, so an unavailable server never prevents the app from starting: calls fail closed until it is back.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSessionKit()</c>.</param>
    /// <param name="connectionString">
    /// A MongoDB connection string (<c>mongodb://</c> or <c>mongodb+srv://</c>, every option the driver supports); its
    /// database, when it names one, holds the sessions (else <c>sessionkit</c>).
    /// </param>
    /// <param name="configure">Configures the store's options.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentException">The driver does not accept <paramref name="connectionString"/>.</exception>
    public static SessionKitBuilder AddMongoStore(this SessionKitBuilder builder, string connectionString, Action<MongoSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var url = MongoClientSource.Parse(connectionString);
        return AddMongoStore(builder, services => MongoClientSource.FromUrl(url, services), configure);
    }

    private static SessionKitBuilder AddMongoStore(SessionKitBuilder builder, Func<IServiceProvider, MongoClientSource> source, Action<MongoSessionStoreOptions>? configure)
    {
        var options = builder.Services.AddOptions<MongoSessionStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MongoSessionStoreOptions>, MongoSessionStoreOptionsValidator>());
        builder.Services.Replace(ServiceDescriptor.Singleton(source));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISessionStore>(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<MongoSessionStoreOptions>>().Value;
            var storeTimeout = sp.GetRequiredService<IOptions<SessionKitOptions>>().Value.StoreTimeout;
            return new MongoSessionStore(
                sp.GetRequiredService<MongoClientSource>().GetDatabase(options, storeTimeout),
                options,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<MongoSessionStore>>());
        }));
        return builder;
    }
}
