using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace SessionKit.Mongo;

/// <summary>
/// Where the store's database comes from: the app's own <see cref="IMongoClient"/> / <see cref="IMongoDatabase"/>
/// registered in the service container, or a client SessionKit creates from a connection string. Only that second
/// client is SessionKit's: it is disposed with the service provider; the app's never is.
/// </summary>
internal sealed class MongoClientSource : IDisposable
{
    private const string NoClientRegistered =
        "AddMongoStore() without a connection string uses the IMongoClient (or IMongoDatabase) registered in the service container, " +
        "and none is registered: register one (services.AddSingleton<IMongoClient>(new MongoClient(…)), or Aspire's AddMongoDBClient) " +
        "before the app starts, or call AddMongoStore(connectionString).";

    private readonly MongoUrl? _url;
    private readonly IServiceProvider _services;
    private readonly Lock _gate = new();
    private MongoClient? _owned;
    private bool _disposed;

    private MongoClientSource(MongoUrl? url, IServiceProvider services)
    {
        _url = url;
        _services = services;
    }

    /// <summary>The app's registered client or database.</summary>
    public static MongoClientSource FromServices(IServiceProvider services) => new(null, services);

    /// <summary>A client SessionKit creates (on first use) from <paramref name="url"/> and owns.</summary>
    public static MongoClientSource FromUrl(MongoUrl url, IServiceProvider services) => new(url, services);

    /// <summary>
    /// Parses a connection string once, at registration, so that a malformed one fails start-up with the driver's own
    /// message (the driver hides the password in it).
    /// </summary>
    /// <exception cref="ArgumentException">The driver does not accept the connection string.</exception>
    public static MongoUrl Parse(string connectionString)
    {
        try
        {
            return MongoUrl.Create(connectionString);
        }
        catch (Exception e) when (e is MongoConfigurationException or FormatException or ArgumentException)
        {
            throw new ArgumentException($"The MongoDB connection string is not valid: {e.Message}", nameof(connectionString), e);
        }
    }

    /// <summary>
    /// The settings of a client SessionKit creates: the connection string's, with the server-selection, connect and
    /// socket timeouts it leaves at the driver's defaults (30 s, 30 s, none) set to <paramref name="storeTimeout"/>, so
    /// that an unreachable server is reported within the store timeout and a hung socket is not kept; then the app's hook.
    /// </summary>
    public static MongoClientSettings CreateSettings(MongoUrl url, TimeSpan storeTimeout, Action<MongoClientSettings>? configure)
    {
        ArgumentNullException.ThrowIfNull(url);
        var settings = MongoClientSettings.FromUrl(url);
        if (settings.ServerSelectionTimeout == MongoDefaults.ServerSelectionTimeout)
        {
            settings.ServerSelectionTimeout = storeTimeout;
        }

        if (settings.ConnectTimeout == MongoDefaults.ConnectTimeout)
        {
            settings.ConnectTimeout = storeTimeout;
        }

        if (settings.SocketTimeout == MongoDefaults.SocketTimeout)
        {
            settings.SocketTimeout = storeTimeout;
        }

        settings.ApplicationName ??= "SessionKit";
        configure?.Invoke(settings);
        return settings;
    }

    /// <summary>Why the store cannot get a database, or <see langword="null"/> when it can (checked at start-up).</summary>
    public string? Problem()
    {
        if (_url is not null)
        {
            return null;
        }

        var registered = _services.GetService<IServiceProviderIsService>();
        return registered is null || registered.IsService(typeof(IMongoClient)) || registered.IsService(typeof(IMongoDatabase)) ? null : NoClientRegistered;
    }

    /// <summary>The database the store uses.</summary>
    public IMongoDatabase GetDatabase(MongoSessionStoreOptions options, TimeSpan storeTimeout)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_url is not null)
        {
            return Owned(options, storeTimeout).GetDatabase(options.DatabaseName ?? _url.DatabaseName ?? MongoSessionStoreOptions.DefaultDatabaseName);
        }

        var client = _services.GetService<IMongoClient>();
        var database = _services.GetService<IMongoDatabase>();
        if (options.DatabaseName is { } name)
        {
            return (client ?? database?.Client ?? throw new InvalidOperationException(NoClientRegistered)).GetDatabase(name);
        }

        return database ?? client?.GetDatabase(MongoSessionStoreOptions.DefaultDatabaseName) ?? throw new InvalidOperationException(NoClientRegistered);
    }

    public void Dispose()
    {
        MongoClient? owned;
        lock (_gate)
        {
            _disposed = true;
            owned = _owned;
            _owned = null;
        }

        owned?.Dispose();
    }

    private MongoClient Owned(MongoSessionStoreOptions options, TimeSpan storeTimeout)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _owned ??= new MongoClient(CreateSettings(_url!, storeTimeout, options.ConfigureClientSettings));
        }
    }
}
