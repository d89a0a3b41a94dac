namespace SessionKit.Mongo.Wire.Connection;

/// <summary>What a parsed <c>mongodb://</c> connection string asks for, with the client's defaults filled in.</summary>
internal sealed record MongoConnectionSettings
{
    public required IReadOnlyList<MongoEndPoint> Hosts { get; init; }

    /// <summary>Whether each host was given with an explicit port (the conformance tests compare this).</summary>
    public required IReadOnlyList<bool> HostHasPort { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>The database in the URI path, or null.</summary>
    public string? Database { get; init; }

    /// <summary>authSource, else the URI database, else <c>admin</c>.</summary>
    public string AuthSource => AuthSourceOption ?? Database ?? "admin";

    public string? AuthSourceOption { get; init; }

    /// <summary><c>SCRAM-SHA-256</c>, <c>SCRAM-SHA-1</c>, or null to negotiate.</summary>
    public string? AuthMechanism { get; init; }

    public string? ReplicaSet { get; init; }

    public bool DirectConnection { get; init; }

    public bool Tls { get; init; }

    public string? TlsCaFile { get; init; }

    public bool TlsAllowInvalidCertificates { get; init; }

    public bool TlsAllowInvalidHostnames { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The limit on each network read or write; the URI's 0 ("no timeout") is replaced by 30 s, because every wait is bounded.</summary>
    public TimeSpan SocketTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ServerSelectionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan WaitQueueTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int MaxPoolSize { get; init; } = 100;

    /// <summary>The <c>w</c> option as given: an int, or a string such as <c>majority</c>; null when absent.</summary>
    public object? W { get; init; }

    public TimeSpan? WTimeout { get; init; }

    public bool? Journal { get; init; }

    public bool RetryWrites { get; init; } = true;

    public string? AppName { get; init; }

    /// <summary>Every option as given, keyed by its lowercase name, for diagnostics and conformance tests.</summary>
    public required IReadOnlyDictionary<string, string> Options { get; init; }
}
