using System.Buffers.Text;
using System.Security.Cryptography;

namespace SessionKit.Mongo.Tests.Store;

/// <summary>Session records for the store's own tests (the contract suite has its own).</summary>
internal static class StoreTestData
{
    public static SessionKey NewKey()
    {
        var random = RandomNumberGenerator.GetBytes(6 + 32);
        return new SessionKey(Base64Url.EncodeToString(random.AsSpan(0, 6)), Base64Url.EncodeToString(SHA256.HashData(random.AsSpan(6))));
    }

    public static SessionRecord NewRecord(string subject, DateTimeOffset now) => new()
    {
        Key = NewKey(),
        Subject = subject,
        Scheme = "SessionJwt",
        CreatedAt = now,
        LastSeenAt = now,
        IdleExpiresAt = now.AddMinutes(30),
        AbsoluteExpiresAt = now.AddHours(8),
        Claims = [new SessionClaim("role", "admin")],
        Permissions = ["P"],
        ClaimsVersion = 3,
        Client = new SessionClientInfo("203.0.113.7", "curl/8"),
        Data = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["cart.items"] = [1, 2], ["$theme"] = [3] },
    };

    /// <summary>A time with millisecond precision (what BSON dates keep).</summary>
    public static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
