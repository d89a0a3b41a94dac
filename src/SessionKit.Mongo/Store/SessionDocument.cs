using MongoDB.Bson;

namespace SessionKit.Mongo;

/// <summary>
/// The stored form of a session: a plain <see cref="BsonDocument"/> an operator can read in mongosh (field by field in
/// the package README), built and read by hand so that no reflection-based class map is involved (trimming, Native AOT).
/// </summary>
/// <remarks>
/// <c>_id</c> is the hashed id; <c>v</c> is the format version (a document with another one, or edited into another
/// shape, is "not found"); dates are BSON dates (millisecond precision); <c>x</c>, the earlier expiry, drives the TTL
/// index. Data is an array of <c>{ k, v: BinData }</c> rather than a sub-document because data keys may contain
/// <c>.</c> or <c>$</c>, which MongoDB field names must not.
/// </remarks>
internal static class SessionDocument
{
    /// <summary>The format version this release writes and reads.</summary>
    public const int FormatVersion = 1;

    public const string Id = "_id";
    public const string Format = "v";
    public const string Partition = "p";
    public const string Subject = "sub";
    public const string Scheme = "scheme";
    public const string Created = "c";
    public const string LastSeen = "seen";
    public const string IdleExpires = "idle";
    public const string AbsoluteExpires = "abs";
    public const string Expires = "x";
    public const string Version = "ver";
    public const string ClaimsVersion = "cv";
    public const string Claims = "claims";
    public const string Permissions = "permissions";
    public const string Client = "client";
    public const string Data = "data";

    /// <summary>Marks a tombstone: a document that only holds a session's <c>_id</c> so that a late insert of it fails.</summary>
    public const string Tombstone = "tombstone";

    public static BsonDocument Encode(SessionRecord record, long version) => new()
    {
        { Id, record.Key.Hash },
        { Format, FormatVersion },
        { Partition, record.Key.Partition },
        { Subject, record.Subject },
        { Scheme, record.Scheme is null ? BsonNull.Value : new BsonString(record.Scheme) },
        { Created, Date(record.CreatedAt) },
        { LastSeen, Date(record.LastSeenAt) },
        { IdleExpires, Date(record.IdleExpiresAt) },
        { AbsoluteExpires, Date(record.AbsoluteExpiresAt) },
        { Expires, Date(record.ExpiresAt) },
        { Version, version },
        { ClaimsVersion, record.ClaimsVersion },
        { Claims, EncodeClaims(record.Claims) },
        { Permissions, EncodePermissions(record.Permissions) },
        { Client, EncodeClient(record.Client) },
        { Data, EncodeData(record.Data) },
    };

    public static BsonDateTime Date(DateTimeOffset value) => new(value.ToUnixTimeMilliseconds());

    public static BsonArray EncodeClaims(IReadOnlyList<SessionClaim> claims)
    {
        var array = new BsonArray(claims.Count);
        foreach (var claim in claims)
        {
            array.Add(new BsonDocument { { "t", claim.Type }, { "v", claim.Value } });
        }

        return array;
    }

    public static BsonArray EncodePermissions(IReadOnlyList<string> permissions)
    {
        var array = new BsonArray(permissions.Count);
        foreach (var permission in permissions)
        {
            array.Add(permission);
        }

        return array;
    }

    /// <summary>Whether <paramref name="document"/> is a tombstone (never a session, never logged as unreadable).</summary>
    public static bool IsTombstone(BsonDocument document) => document.Contains(Tombstone);

    /// <summary>
    /// Reads a stored document back. A document of another format version, or one that does not have the expected
    /// shape, gives <see langword="null"/> and says why in <paramref name="problem"/>: it is never guessed at.
    /// </summary>
    public static SessionRecord? Decode(BsonDocument document, out string? problem)
    {
        try
        {
            problem = null;
            return DecodeCore(document);
        }
        catch (FormatException e)
        {
            problem = e.Message;
            return null;
        }
    }

    /// <summary>Reads the claims and permissions arrays stored in a session or subject document.</summary>
    public static (SessionClaim[] Claims, string[] Permissions) DecodeClaims(BsonDocument document)
    {
        var claimsArray = Array(document, Claims);
        var claims = new SessionClaim[claimsArray.Count];
        for (var i = 0; i < claims.Length; i++)
        {
            var claim = claimsArray[i] as BsonDocument ?? throw Invalid(Claims);
            claims[i] = new SessionClaim(Text(claim, "t"), Text(claim, "v"));
        }

        var permissionsArray = Array(document, Permissions);
        var permissions = new string[permissionsArray.Count];
        for (var i = 0; i < permissions.Length; i++)
        {
            permissions[i] = permissionsArray[i] is BsonString text ? text.Value : throw Invalid(Permissions);
        }

        return (claims, permissions);
    }

    public static long Int64(BsonDocument document, string name) => document.GetValue(name, BsonNull.Value) switch
    {
        BsonInt64 value => value.Value,
        BsonInt32 value => value.Value,
        _ => throw Invalid(name),
    };

    public static DateTimeOffset ReadDate(BsonDocument document, string name) => document.GetValue(name, BsonNull.Value) is BsonDateTime date
        ? DateTimeOffset.FromUnixTimeMilliseconds(date.MillisecondsSinceEpoch)
        : throw Invalid(name);

    private static SessionRecord DecodeCore(BsonDocument document)
    {
        if (document.GetValue(Format, BsonNull.Value) is not BsonInt32 { Value: FormatVersion })
        {
            throw new FormatException($"format version \"{Format}\" is not {FormatVersion}");
        }

        var (claims, permissions) = DecodeClaims(document);
        return new SessionRecord
        {
            Key = new SessionKey(Text(document, Partition), Text(document, Id)),
            Subject = Text(document, Subject),
            Scheme = document.GetValue(Scheme, BsonNull.Value) switch
            {
                BsonNull => null,
                BsonString scheme => scheme.Value,
                _ => throw Invalid(Scheme),
            },
            CreatedAt = ReadDate(document, Created),
            LastSeenAt = ReadDate(document, LastSeen),
            IdleExpiresAt = ReadDate(document, IdleExpires),
            AbsoluteExpiresAt = ReadDate(document, AbsoluteExpires),
            Claims = claims,
            Permissions = permissions,
            ClaimsVersion = Int64(document, ClaimsVersion),
            Client = DecodeClient(document),
            Data = DecodeData(document),
            Version = Int64(document, Version),
        };
    }

    private static BsonDocument EncodeClient(SessionClientInfo client)
    {
        var document = new BsonDocument();
        if (client.IpAddress is not null)
        {
            document.Add("ip", client.IpAddress);
        }

        if (client.UserAgent is not null)
        {
            document.Add("ua", client.UserAgent);
        }

        return document;
    }

    private static SessionClientInfo DecodeClient(BsonDocument document)
    {
        var client = document.GetValue(Client, BsonNull.Value) as BsonDocument ?? throw Invalid(Client);
        var ip = OptionalText(client, "ip");
        var agent = OptionalText(client, "ua");
        return ip is null && agent is null ? SessionClientInfo.None : new SessionClientInfo(ip, agent);
    }

    private static BsonArray EncodeData(IReadOnlyDictionary<string, byte[]> data)
    {
        var array = new BsonArray(data.Count);
        foreach (var (key, value) in data.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            array.Add(new BsonDocument { { "k", key }, { "v", new BsonBinaryData(value, BsonBinarySubType.Binary) } });
        }

        return array;
    }

    private static IReadOnlyDictionary<string, byte[]> DecodeData(BsonDocument document)
    {
        var array = Array(document, Data);
        if (array.Count == 0)
        {
            return SessionDataSize.Empty;
        }

        var data = new Dictionary<string, byte[]>(array.Count, StringComparer.Ordinal);
        foreach (var entry in array)
        {
            var pair = entry as BsonDocument ?? throw Invalid(Data);
            var value = pair.GetValue("v", BsonNull.Value) is BsonBinaryData { SubType: BsonBinarySubType.Binary } binary ? binary.Bytes : throw Invalid(Data);
            if (!data.TryAdd(Text(pair, "k"), value))
            {
                throw new FormatException($"the field \"{Data}\" holds a key twice");
            }
        }

        return data;
    }

    private static BsonArray Array(BsonDocument document, string name)
        => document.GetValue(name, BsonNull.Value) as BsonArray ?? throw Invalid(name);

    private static string Text(BsonDocument document, string name)
        => document.GetValue(name, BsonNull.Value) is BsonString text ? text.Value : throw Invalid(name);

    private static string? OptionalText(BsonDocument document, string name) => document.GetValue(name, BsonNull.Value) switch
    {
        BsonNull => null,
        BsonString text => text.Value,
        _ => throw Invalid(name),
    };

    private static FormatException Invalid(string name) => new($"the field \"{name}\" is missing or has another type");
}
