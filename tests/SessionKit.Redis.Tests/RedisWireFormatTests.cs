namespace SessionKit.Redis.Tests;

/// <summary>The record encoding and revocation messages, without a server.</summary>
public sealed class RedisWireFormatTests
{
    [Fact]
    public void Every_truncation_or_corruption_of_a_record_decodes_to_null_or_a_record_and_never_throws()
    {
        var session = TestSessions.New() with { Claims = [new SessionClaim("name", "Zoë")], Client = new SessionClientInfo("203.0.113.7", "agent") };
        var encoded = SessionRecordCodec.Encode(session, 7);
        var random = new Random(42);

        for (var length = 0; length < encoded.Length; length++)
        {
            _ = SessionRecordCodec.Decode(session.Key, encoded.AsSpan(0, length));
        }

        for (var i = 0; i < 2_000; i++)
        {
            var corrupted = (byte[])encoded.Clone();
            corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
            _ = SessionRecordCodec.Decode(session.Key, corrupted);
        }

        var decoded = SessionRecordCodec.Decode(session.Key, encoded);
        Assert.NotNull(decoded);
        Assert.Equal(7, decoded.Version);
        Assert.Equal(session.Claims, decoded.Claims);
    }

    [Fact]
    public void Revocation_messages_round_trip_and_unknown_ones_are_refused()
    {
        var key = TestSessions.New().Key;
        foreach (var reason in new[] { RedisRevocationReason.Deleted, RedisRevocationReason.Evicted, RedisRevocationReason.SubjectDeleted, RedisRevocationReason.ClaimsUpdated })
        {
            var message = new RedisRevocation(reason, key).Format();
            Assert.True(RedisRevocation.TryParse(message, out var parsed), message);
            Assert.Equal(new RedisRevocation(reason, key), parsed);
        }

        Assert.True(RedisRevocation.TryParse("all", out var all));
        Assert.Equal(new RedisRevocation(RedisRevocationReason.All, null), all);
        Assert.False(RedisRevocation.TryParse("deleted", out _));
        Assert.False(RedisRevocation.TryParse("deleted:nodot", out _));
        Assert.False(RedisRevocation.TryParse("other:a.b", out _));
        Assert.False(RedisRevocation.TryParse(null, out _));
    }
}
