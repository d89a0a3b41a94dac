using MongoDB.Bson;

namespace SessionKit.Mongo;

/// <summary>
/// A subject's own document in the subject collection: <c>{ _id: subject, version, claims, permissions, expireAt }</c>,
/// the latest claims the store was told for the subject (see <see cref="ISessionStore.UpdateSubjectClaimsAsync"/>), plus,
/// while a sign-in enforces the per-subject maximum, its lease (<c>lease</c>, <c>leaseUntil</c>). <c>expireAt</c> drives
/// the TTL index: at least the retention the manager asks for, and at least the absolute expiry of every session created
/// since the document exists.
/// </summary>
internal static class SubjectDocument
{
    public const string Id = "_id";
    public const string Version = "version";
    public const string ExpireAt = "expireAt";
    public const string Lease = "lease";
    public const string LeaseUntil = "leaseUntil";

    /// <summary>The subject's latest claims, or <see langword="null"/> when it has none (no document, or one that only held a lease).</summary>
    public static SubjectClaims? LatestClaims(BsonDocument? document)
    {
        if (document is null || SessionDocument.Int64(document, Version) is var version && version == 0)
        {
            return null;
        }

        var (claims, permissions) = SessionDocument.DecodeClaims(document);
        return new SubjectClaims(claims, permissions, version);
    }

    /// <summary>The fields a document gets when a lease creates it, so that every subject document has a version.</summary>
    public static BsonDocument Empty { get; } = new()
    {
        { Version, 0L },
        { SessionDocument.Claims, new BsonArray() },
        { SessionDocument.Permissions, new BsonArray() },
    };

    /// <summary>Keeps the document at least until <paramref name="until"/>.</summary>
    public static BsonDocument KeepUntil(DateTimeOffset until) => new(ExpireAt, SessionDocument.Date(until));
}
