using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo;

/// <summary>
/// The stored form of a session, kept plain so an operator can read it in mongosh (field by field in the README):
/// <c>_id</c> is the hashed id, dates are BSON dates, <c>expiresAt</c> (the earlier expiry) drives the TTL index.
/// </summary>
internal static class SessionDocument
{
    public static BsonDocument From(SessionRecord record, long version) => new BsonDocument()
        .Add("_id", record.Key.Hash)
        .Add("partition", record.Key.Partition)
        .Add("subject", record.Subject)
        .Add("createdAt", BsonDateTime.From(record.CreatedAt))
        .Add("lastSeenAt", BsonDateTime.From(record.LastSeenAt))
        .Add("idleExpiresAt", BsonDateTime.From(record.IdleExpiresAt))
        .Add("absoluteExpiresAt", BsonDateTime.From(record.AbsoluteExpiresAt))
        .Add("expiresAt", BsonDateTime.From(record.ExpiresAt))
        .Add("claims", Claims(record.Claims))
        .Add("permissions", Permissions(record.Permissions))
        .Add("client", new BsonDocument().Add("ip", record.Client.IpAddress).Add("userAgent", record.Client.UserAgent))
        .Add("version", version);

    public static BsonArray Claims(IReadOnlyList<SessionClaim> claims)
        => new(claims.Select(c => (object?)new BsonDocument().Add("type", c.Type).Add("value", c.Value)));

    public static BsonArray Permissions(IReadOnlyList<string> permissions) => new(permissions.Select(p => (object?)p));

    /// <summary>Reads a stored document back; a document that does not have the expected shape is reported, not guessed.</summary>
    public static SessionRecord ToRecord(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var client = document.GetDocument("client");
        return new SessionRecord
        {
            Key = new SessionKey(Text(document, "partition"), Text(document, "_id")),
            Subject = Text(document, "subject"),
            CreatedAt = Date(document, "createdAt"),
            LastSeenAt = Date(document, "lastSeenAt"),
            IdleExpiresAt = Date(document, "idleExpiresAt"),
            AbsoluteExpiresAt = Date(document, "absoluteExpiresAt"),
            Claims = document.GetArray("claims")?.Select(c => c is BsonDocument claim ? new SessionClaim(Text(claim, "type"), Text(claim, "value")) : throw Invalid("claims")).ToArray() ?? [],
            Permissions = document.GetArray("permissions")?.Select(p => p as string ?? throw Invalid("permissions")).ToArray() ?? [],
            Client = client is null ? SessionClientInfo.None : new SessionClientInfo(client.GetString("ip"), client.GetString("userAgent")),
            Version = document["version"] is long or int ? document.GetInt64("version") : throw Invalid("version"),
        };
    }

    private static string Text(BsonDocument document, string name)
        => document.GetString(name) ?? throw Invalid(name);

    private static InvalidDataException Invalid(string name) => new($"the field \"{name}\" is missing or has another type");

    private static DateTimeOffset Date(BsonDocument document, string name) => document[name] is BsonDateTime date
        ? date.ToDateTimeOffset()
        : throw Invalid(name);
}
