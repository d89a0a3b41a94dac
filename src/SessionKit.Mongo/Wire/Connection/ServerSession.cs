using System.Security.Cryptography;
using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Wire.Connection;

/// <summary>A logical server session: an <c>lsid</c> (UUID v4) and its strictly increasing <c>txnNumber</c>.</summary>
internal sealed class ServerSession
{
    public ServerSession()
    {
        var id = RandomNumberGenerator.GetBytes(16);
        id[6] = (byte)((id[6] & 0x0F) | 0x40); // UUID version 4
        id[8] = (byte)((id[8] & 0x3F) | 0x80); // RFC 4122 variant
        Id = id;
    }

    public byte[] Id { get; }

    public long TxnNumber { get; set; }

    public DateTime LastUsedUtc { get; set; } = DateTime.UtcNow;

    /// <summary>Set after a network error: the server's view of the session is unknown, so it is not reused.</summary>
    public bool IsDirty { get; set; }

    public BsonDocument Lsid() => new BsonDocument().Add("id", new BsonBinary(BsonBinary.UuidSubtype, Id));
}
