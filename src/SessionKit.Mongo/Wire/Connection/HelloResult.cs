using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Wire.Connection;

/// <summary>What a server said about itself in its handshake reply (<c>hello</c>/<c>isMaster</c>).</summary>
internal sealed record HelloResult
{
    public bool IsWritablePrimary { get; init; }

    public bool IsSecondary { get; init; }

    public string? SetName { get; init; }

    /// <summary>The primary this member believes in, as <c>host:port</c>.</summary>
    public string? Primary { get; init; }

    public IReadOnlyList<string> Hosts { get; init; } = [];

    public bool IsMongos { get; init; }

    public int MaxBsonObjectSize { get; init; } = 16 * 1024 * 1024;

    public int MaxMessageSizeBytes { get; init; } = 48_000_000;

    public int MaxWriteBatchSize { get; init; } = 100_000;

    public int MaxWireVersion { get; init; }

    /// <summary>Present if, and only if, the server supports logical sessions.</summary>
    public int? LogicalSessionTimeoutMinutes { get; init; }

    public IReadOnlyList<string>? SaslSupportedMechs { get; init; }

    /// <summary>Retryable writes need sessions and a replica set or mongos (never a standalone).</summary>
    public bool SupportsRetryableWrites => LogicalSessionTimeoutMinutes is not null && (SetName is not null || IsMongos);

    public static HelloResult From(BsonDocument reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var writable = reply.TryGetValue("isWritablePrimary", out var w) ? w is true : reply["ismaster"] is true;
        return new HelloResult
        {
            IsWritablePrimary = writable,
            IsSecondary = reply["secondary"] is true,
            SetName = reply.GetString("setName"),
            Primary = reply.GetString("primary"),
            Hosts = reply.GetArray("hosts")?.OfType<string>().ToArray() ?? [],
            IsMongos = reply.GetString("msg") == "isdbgrid",
            MaxBsonObjectSize = (int)reply.GetInt64("maxBsonObjectSize", 16 * 1024 * 1024),
            MaxMessageSizeBytes = (int)reply.GetInt64("maxMessageSizeBytes", 48_000_000),
            MaxWriteBatchSize = (int)reply.GetInt64("maxWriteBatchSize", 100_000),
            MaxWireVersion = (int)reply.GetInt64("maxWireVersion"),
            LogicalSessionTimeoutMinutes = reply.TryGetNumber("logicalSessionTimeoutMinutes", out var minutes) ? (int)minutes : null,
            SaslSupportedMechs = reply.GetArray("saslSupportedMechs")?.OfType<string>().ToArray(),
        };
    }
}
