namespace SessionKit.Mongo;

/// <summary>Configures the MongoDB session store registered by <c>AddMongoStore</c>.</summary>
public sealed class MongoSessionStoreOptions
{
    /// <summary>
    /// The <c>mongodb://</c> connection string (hosts, credentials, <c>authSource</c>, <c>replicaSet</c>, <c>tls</c>,
    /// timeouts, <c>w</c>, <c>appName</c>, …; see the package README for what is supported). Required.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The database holding the sessions. Defaults to <see langword="null"/>: the database named in the connection
    /// string's path, or <c>sessionkit</c> when it names none.
    /// </summary>
    public string? Database { get; set; }

    /// <summary>The collection holding one document per session. Defaults to <c>sessions</c>.</summary>
    public string Collection { get; set; } = "sessions";

    /// <summary>
    /// The collection holding the short-lived per-subject locks that make the per-subject session limit exact.
    /// Defaults to <see langword="null"/>: the session collection's name followed by <c>_locks</c>.
    /// </summary>
    public string? LockCollection { get; set; }

    /// <summary>
    /// The write concern <c>w</c> for every write: a number of members (<c>"1"</c>, <c>"2"</c>, …) or a mode such as
    /// <c>"majority"</c>. Defaults to <see langword="null"/>: the connection string's <c>w</c>, else the server's default.
    /// <c>"0"</c> (unacknowledged) is refused, because the store must know whether a write happened.
    /// </summary>
    public string? WriteConcern { get; set; }

    /// <summary>
    /// Whether writes wait for the journal (<c>j</c>). Defaults to <see langword="null"/>: the connection string's
    /// <c>journal</c>, else the server's default.
    /// </summary>
    public bool? Journal { get; set; }

    /// <summary>
    /// How long the server may wait for the write concern (<c>wtimeout</c>). Defaults to <see langword="null"/>: the
    /// connection string's <c>wtimeoutMS</c>, else none.
    /// </summary>
    public TimeSpan? WriteConcernTimeout { get; set; }

    /// <summary>
    /// How long a per-subject lock is held at most if its holder dies, after which another instance may take it over.
    /// Defaults to 10 seconds.
    /// </summary>
    public TimeSpan SubjectLockLease { get; set; } = TimeSpan.FromSeconds(10);
}
