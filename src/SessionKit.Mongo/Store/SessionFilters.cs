using MongoDB.Bson;

namespace SessionKit.Mongo;

/// <summary>
/// The filters the store sends, as plain <see cref="BsonDocument"/>s (no LINQ expression trees, which Native AOT cannot
/// compile). "Live" means both expiry dates are after the store's clock: expiry is decided by the store, the TTL index
/// only purges.
/// </summary>
internal static class SessionFilters
{
    /// <summary>The session with this key, whatever its state (a tombstone has no partition, so it never matches).</summary>
    public static BsonDocument Key(SessionKey key) => new()
    {
        { SessionDocument.Id, key.Hash },
        { SessionDocument.Partition, key.Partition },
    };

    /// <summary>The live session with this key.</summary>
    public static BsonDocument LiveKey(SessionKey key, DateTimeOffset now) => Live(Key(key), now);

    /// <summary>The subject's live sessions.</summary>
    public static BsonDocument LiveSubject(string subject, DateTimeOffset now) => Live(new BsonDocument(SessionDocument.Subject, subject), now);

    /// <summary>Adds the liveness conditions to <paramref name="filter"/>.</summary>
    public static BsonDocument Live(BsonDocument filter, DateTimeOffset now)
    {
        var date = SessionDocument.Date(now);
        return filter
            .Add(SessionDocument.IdleExpires, new BsonDocument("$gt", date))
            .Add(SessionDocument.AbsoluteExpires, new BsonDocument("$gt", date));
    }

    /// <summary>Excludes the session <paramref name="except"/> (same hash and partition) from <paramref name="filter"/>.</summary>
    public static BsonDocument Except(BsonDocument filter, SessionKey? except)
        => except is { } kept ? filter.Add("$nor", new BsonArray { Key(kept) }) : filter;

    /// <summary>Oldest first, then by hash: the order of listings and query pages.</summary>
    public static BsonDocument OldestFirst { get; } = new()
    {
        { SessionDocument.Created, 1 },
        { SessionDocument.Id, 1 },
    };

    /// <summary>Only the key fields (for listings that report keys).</summary>
    public static BsonDocument KeyOnly { get; } = new()
    {
        { SessionDocument.Id, 1 },
        { SessionDocument.Partition, 1 },
    };

    /// <summary>Every document that is a session (of any state or format), not a tombstone.</summary>
    public static BsonDocument AnySession { get; } = new(SessionDocument.Subject, new BsonDocument("$exists", true));
}
