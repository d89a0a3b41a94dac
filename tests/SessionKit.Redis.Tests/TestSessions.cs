namespace SessionKit.Redis.Tests;

/// <summary>Session records for the Redis-specific tests (the contract suite has its own).</summary>
internal static class TestSessions
{
    public static string NewSubject() => "user-" + Guid.NewGuid().ToString("N")[..12];

    public static SessionRecord New(string? subject = null, DateTimeOffset? now = null)
    {
        subject ??= NewSubject();
        // The store keeps times to the millisecond.
        var created = DateTimeOffset.FromUnixTimeMilliseconds((now ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds());
        return new SessionRecord
        {
            Key = SessionKit.Testing.SessionStoreContractTests.NewKey(),
            Scheme = "SessionCookie",
            Subject = subject,
            CreatedAt = created,
            LastSeenAt = created,
            IdleExpiresAt = created.AddMinutes(30),
            AbsoluteExpiresAt = created.AddHours(8),
            Permissions = ["CREATE_ROLE", "CREATE_GROUP", "ASSIGN_USERS"],
        };
    }
}
