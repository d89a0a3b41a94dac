using MongoDB.Driver;

namespace SessionKit.Mongo;

/// <summary>Configures the MongoDB session store registered by <c>AddMongoStore</c>.</summary>
public sealed class MongoSessionStoreOptions
{
    /// <summary>The database <c>AddMongoStore</c> uses when neither the connection string nor the app's registration names one.</summary>
    public const string DefaultDatabaseName = "sessionkit";

    /// <summary>
    /// The database holding the sessions. Defaults to <see langword="null"/>: with a connection string, the database in
    /// its path, else <c>sessionkit</c>; with the app's client, the <see cref="IMongoDatabase"/> the app registered, else
    /// <c>sessionkit</c> on its <see cref="IMongoClient"/>.
    /// </summary>
    public string? DatabaseName { get; set; }

    /// <summary>The collection holding one document per session. Defaults to <c>sessions</c>.</summary>
    public string CollectionName { get; set; } = "sessions";

    /// <summary>
    /// The collection holding one small document per subject: its latest claims and versions, and the short lease that
    /// makes the per-subject session maximum exact. Defaults to <c>session_subjects</c>.
    /// </summary>
    public string SubjectCollectionName { get; set; } = "session_subjects";

    /// <summary>
    /// How long a sign-in may hold a subject's lease (while it enforces the per-subject maximum) if its app instance dies
    /// holding it; after that, the next sign-in of the subject takes it over. Defaults to 10 seconds.
    /// </summary>
    public TimeSpan SubjectLeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Changes the settings of the client SessionKit creates from a connection string (TLS certificates, compression, a
    /// logging or event subscriber, …), after SessionKit has set its timeouts. Not called when the store uses the app's
    /// own client. Defaults to <see langword="null"/>.
    /// </summary>
    public Action<MongoClientSettings>? ConfigureClientSettings { get; set; }
}
