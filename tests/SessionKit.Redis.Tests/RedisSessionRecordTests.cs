using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>Content the packed record format must carry unchanged, and values it must refuse without failing.</summary>
public sealed class RedisSessionRecordTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    public static TheoryData<string> UnusualSubjects => new()
    {
        "{tag}:u:x",
        "line\nbreak,comma",
        "Zoë Ångström 🚀",
        " ",
        new string('s', 600),
    };

    [Theory]
    [MemberData(nameof(UnusualSubjects))]
    public async Task Unusual_subjects_round_trip_and_keep_their_own_index(string subject)
    {
        await using var store = RedisStores.Create(redis.ConnectionString, TimeProvider.System);
        var session = TestSessions.New(subject);
        session = (await store.CreateAsync(session, 0, CancellationToken.None)).Session;

        Assert.Equal(subject, (await store.GetAsync(session.Key, CancellationToken.None))?.Subject);
        Assert.Equal([session.Key], (await store.ListBySubjectAsync(subject, CancellationToken.None)).Select(s => s.Key));
        Assert.True(await store.UpdateAsync(session with { Permissions = ["P"] }, 1, CancellationToken.None));
        Assert.Equal([session.Key], (await store.UpdateSubjectClaimsAsync(subject, new SubjectClaims([], ["Q"]), DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None)).Updated);
        Assert.True(await store.DeleteAsync(session.Key, CancellationToken.None));
        Assert.Empty(await store.ListBySubjectAsync(subject, CancellationToken.None));
    }

    [Fact]
    public async Task Long_and_empty_values_and_many_claims_round_trip()
    {
        await using var store = RedisStores.Create(redis.ConnectionString, TimeProvider.System);
        var session = TestSessions.New() with
        {
            Claims = [.. Enumerable.Range(0, 200).Select(i => new SessionClaim("c" + i, i % 2 == 0 ? "" : new string('v', 300)))],
            Permissions = ["", "\n", new string('p', 20_000)],
            Client = new SessionClientInfo(null, "agent\0with nul"),
        };
        session = (await store.CreateAsync(session, 0, CancellationToken.None)).Session;

        var read = await store.GetAsync(session.Key, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(session.Claims, read.Claims);
        Assert.Equal(session.Permissions, read.Permissions);
        Assert.Equal(session.Client, read.Client);
    }

    [Fact]
    public async Task Claims_update_keeps_subject_client_times_and_expiry()
    {
        await using var store = RedisStores.Create(redis.ConnectionString, TimeProvider.System);
        var session = TestSessions.New() with { Client = new SessionClientInfo("2001:db8::1", null) };
        session = (await store.CreateAsync(session, 0, CancellationToken.None)).Session;
        var ttlBefore = long.Parse(await redis.CliAsync("PEXPIRETIME", store.Keys.Session(session.Key)), System.Globalization.CultureInfo.InvariantCulture);

        await store.UpdateSubjectClaimsAsync(session.Subject, new SubjectClaims([new SessionClaim("name", "new")], ["NEW"]), DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None);

        var read = await store.GetAsync(session.Key, CancellationToken.None);
        Assert.Equal(session with { Claims = [new SessionClaim("name", "new")], Permissions = ["NEW"], ClaimsVersion = 1, Version = 2 }, read, RecordComparer.Instance);
        Assert.Equal(ttlBefore, long.Parse(await redis.CliAsync("PEXPIRETIME", store.Keys.Session(session.Key)), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Redis_expires_a_session_at_the_earlier_of_idle_and_absolute_expiry_and_the_index_at_the_latest()
    {
        await using var store = RedisStores.Create(redis.ConnectionString, TimeProvider.System);
        var shortIdle = TestSessions.New();
        var longer = TestSessions.New(shortIdle.Subject) with { AbsoluteExpiresAt = shortIdle.CreatedAt.AddHours(9) };
        shortIdle = (await store.CreateAsync(shortIdle, 0, CancellationToken.None)).Session;
        longer = (await store.CreateAsync(longer, 0, CancellationToken.None)).Session;

        Assert.Equal(shortIdle.IdleExpiresAt.ToUnixTimeMilliseconds(), await ExpireTimeAsync(store.Keys.Session(shortIdle.Key)));
        Assert.Equal(longer.AbsoluteExpiresAt.ToUnixTimeMilliseconds(), await ExpireTimeAsync(store.Keys.Index(shortIdle.Key.Partition, shortIdle.Subject)));
    }

    [Fact]
    public async Task A_value_that_is_not_a_session_record_is_not_found_by_any_operation()
    {
        await using var store = RedisStores.Create(redis.ConnectionString, TimeProvider.System);
        var session = TestSessions.New();
        session = (await store.CreateAsync(session, 0, CancellationToken.None)).Session;
        await redis.CliAsync("SET", store.Keys.Session(session.Key), "S1,1,2,3\nan older release's record");

        Assert.Null(await store.GetAsync(session.Key, CancellationToken.None));
        Assert.False(await store.TouchAsync(session.Key, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None));
        Assert.False(await store.UpdateAsync(session, 1, CancellationToken.None));
        Assert.Empty(await store.ListBySubjectAsync(session.Subject, CancellationToken.None));
        Assert.Empty((await store.UpdateSubjectClaimsAsync(session.Subject, new SubjectClaims([], []), DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None)).Updated);
        Assert.False(await store.DeleteAsync(session.Key, CancellationToken.None));
    }

    private async Task<long> ExpireTimeAsync(string key)
        => long.Parse(await redis.CliAsync("PEXPIRETIME", key), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Compares records by value, lists included (records compare lists by reference).</summary>
    private sealed class RecordComparer : IEqualityComparer<SessionRecord?>
    {
        public static readonly RecordComparer Instance = new();

        public bool Equals(SessionRecord? x, SessionRecord? y)
            => x is not null && y is not null
                && x with { Claims = [], Permissions = [], Data = SessionDataSize.Empty } == y with { Claims = [], Permissions = [], Data = SessionDataSize.Empty }
                && x.Claims.SequenceEqual(y.Claims) && x.Permissions.SequenceEqual(y.Permissions) && x.Data.Count == y.Data.Count;

        public int GetHashCode(SessionRecord? obj) => 0;
    }
}
