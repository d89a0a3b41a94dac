// Each test's name is its documentation.
#pragma warning disable CS1591

namespace SessionKit.Testing;

public abstract partial class SessionStoreContractTests
{
    [Fact]
    public async Task Created_session_reads_back_with_every_field()
    {
        var record = NewRecord(NewSubject()) with
        {
            ClaimsVersion = 7,
            Data = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["cart"] = [1, 2, 3], ["théme"] = "dark"u8.ToArray(), ["empty"] = [] },
        };

        var created = await Store.CreateAsync(record, 0, CancellationToken.None);
        var read = await Store.GetAsync(created.Session.Key, CancellationToken.None);

        Assert.Empty(created.Evicted);
        Assert.Equal(record.Key.Hash, created.Session.Key.Hash);
        Assert.True(created.Session.Key.IsWellFormed);
        foreach (var session in new[] { created.Session, read })
        {
            Assert.NotNull(session);
            Assert.Equal(created.Session.Key, session.Key);
            Assert.Equal(record.Subject, session.Subject);
            Assert.Equal(record.Scheme, session.Scheme);
            Assert.Equal(record.CreatedAt, session.CreatedAt);
            Assert.Equal(record.LastSeenAt, session.LastSeenAt);
            Assert.Equal(record.IdleExpiresAt, session.IdleExpiresAt);
            Assert.Equal(record.AbsoluteExpiresAt, session.AbsoluteExpiresAt);
            Assert.Equal(record.Claims, session.Claims);
            Assert.Equal(record.Permissions, session.Permissions);
            Assert.Equal(7, session.ClaimsVersion);
            Assert.Equal(record.Client, session.Client);
            Assert.Equal(record.Data.OrderBy(e => e.Key, StringComparer.Ordinal), session.Data.OrderBy(e => e.Key, StringComparer.Ordinal));
            Assert.Equal(1, session.Version);
        }
    }

    [Fact]
    public async Task Session_without_scheme_claims_data_or_client_metadata_reads_back_empty()
    {
        var record = await CreateAsync(NewRecord(NewSubject()) with { Scheme = null, Claims = [], Permissions = [], Client = SessionClientInfo.None });

        var read = await Store.GetAsync(record.Key, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Null(read.Scheme);
        Assert.Empty(read.Claims);
        Assert.Empty(read.Permissions);
        Assert.Empty(read.Data);
        Assert.Equal(SessionClientInfo.None, read.Client);
    }

    [Fact]
    public async Task Unknown_key_is_not_found_by_any_operation()
    {
        var unknown = NewRecord(NewSubject());

        Assert.Null(await Store.GetAsync(unknown.Key, CancellationToken.None));
        Assert.False(await Store.TouchAsync(unknown.Key, Clock.GetUtcNow(), Clock.GetUtcNow().AddMinutes(5), CancellationToken.None));
        Assert.False(await Store.UpdateAsync(unknown, 1, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(unknown.Key, CancellationToken.None));
        Assert.Empty(await Store.ListBySubjectAsync(unknown.Subject, CancellationToken.None));
        Assert.Empty(await Store.DeleteBySubjectAsync(unknown.Subject, except: null, CancellationToken.None));
        Assert.Empty((await Store.QueryAsync(new SessionQuery { Subject = unknown.Subject }, CancellationToken.None)).Sessions);
    }

    public static TheoryData<string, string> MalformedKeys => new()
    {
        { "", "" },
        { "AAAAAAAA", "" },
        { "", "z7Jd0Jv9g1cHk3y7b0n7y6n8d0l3Yc4p2r8s1t0u9vw" },
        { "AAAAAAAA", "not base64url at all ✓" },
        { "{tag}", "*" },
        { "AAAAAAAA", "x' OR '1'='1" },
        { "AAAAAAAA", "$where" },
        { "AAAAAAAA", new string('A', 4096) },
        { "../../etc", "passwd\0" },
    };

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public async Task Malformed_key_is_not_found_and_never_throws(string partition, string hash)
    {
        var existing = await CreateAsync(NewRecord(NewSubject()));
        var key = new SessionKey(partition, hash);

        Assert.Null(await Store.GetAsync(key, CancellationToken.None));
        Assert.False(await Store.TouchAsync(key, Clock.GetUtcNow(), Clock.GetUtcNow().AddMinutes(5), CancellationToken.None));
        Assert.False(await Store.UpdateAsync(existing with { Key = key }, 1, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(key, CancellationToken.None));
        Assert.NotNull(await Store.GetAsync(existing.Key, CancellationToken.None));
    }

    [Fact]
    public async Task Key_with_the_right_hash_but_another_partition_is_not_found()
    {
        var record = await CreateAsync(NewRecord(NewSubject()));
        var otherPartition = record.Key with { Partition = record.Key.Partition == "AAAAAAAA" ? "BBBBBBBB" : "AAAAAAAA" };

        Assert.Null(await Store.GetAsync(otherPartition, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(otherPartition, CancellationToken.None));
        Assert.NotNull(await Store.GetAsync(record.Key, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_is_idempotent()
    {
        var record = await CreateAsync(NewRecord(NewSubject()));

        Assert.True(await Store.DeleteAsync(record.Key, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(record.Key, CancellationToken.None));
        Assert.Null(await Store.GetAsync(record.Key, CancellationToken.None));
    }

    [Fact]
    public async Task Touch_moves_last_seen_and_idle_expiry_without_changing_the_version_or_anything_else()
    {
        var record = await CreateAsync(NewRecord(NewSubject(), idle: TimeSpan.FromMinutes(10)) with { Data = new Dictionary<string, byte[]> { ["k"] = [42] } });
        Clock.Advance(TimeSpan.FromMinutes(9));
        var now = Clock.GetUtcNow();

        Assert.True(await Store.TouchAsync(record.Key, now, now.AddMinutes(10), CancellationToken.None));
        Clock.Advance(TimeSpan.FromMinutes(9));

        var read = await Store.GetAsync(record.Key, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(now, read.LastSeenAt);
        Assert.Equal(now.AddMinutes(10), read.IdleExpiresAt);
        Assert.Equal(1, read.Version);
        Assert.Equal(record.Claims, read.Claims);
        Assert.Equal([42], read.Data["k"]);
    }

    [Fact]
    public async Task Update_with_the_expected_version_replaces_the_record_and_increments_the_version()
    {
        var record = await CreateAsync(NewRecord(NewSubject()));

        var changed = record with { Permissions = ["ONLY_THIS"], Claims = [new SessionClaim("name", "new")], Data = new Dictionary<string, byte[]> { ["a"] = [1] } };
        Assert.True(await Store.UpdateAsync(changed, 1, CancellationToken.None));

        var read = await Store.GetAsync(record.Key, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(["ONLY_THIS"], read.Permissions);
        Assert.Equal([new SessionClaim("name", "new")], read.Claims);
        Assert.Equal([1], read.Data["a"]);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task Update_with_a_stale_version_is_refused_and_changes_nothing()
    {
        var record = await CreateAsync(NewRecord(NewSubject()));
        Assert.True(await Store.UpdateAsync(record with { Permissions = ["FIRST"] }, 1, CancellationToken.None));

        Assert.False(await Store.UpdateAsync(record with { Permissions = ["STALE"] }, 1, CancellationToken.None));

        var read = await Store.GetAsync(record.Key, CancellationToken.None);
        Assert.Equal(["FIRST"], read!.Permissions);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task Update_that_changes_the_subject_or_the_scheme_is_refused()
    {
        var record = await CreateAsync(NewRecord(NewSubject()));

        Assert.False(await Store.UpdateAsync(record with { Subject = NewSubject("intruder") }, 1, CancellationToken.None));
        Assert.False(await Store.UpdateAsync(record with { Scheme = "SessionOverJwt" }, 1, CancellationToken.None));
        Assert.False(await Store.UpdateAsync(record with { Scheme = null }, 1, CancellationToken.None));

        var read = await Store.GetAsync(record.Key, CancellationToken.None);
        Assert.Equal(record.Subject, read!.Subject);
        Assert.Equal(record.Scheme, read.Scheme);
        Assert.Equal(1, read.Version);
    }

    [Fact]
    public async Task Text_that_needs_every_utf8_length_round_trips()
    {
        var subject = NewSubject("ünï-𝄞");
        var record = await CreateAsync(NewRecord(subject) with
        {
            Claims = [new SessionClaim("name", "a\0b\nc\"d'😀"), new SessionClaim("", "")],
            Permissions = ["p:\u00e9", "p:\u4e2d", "p:\U0001F600"],
            Client = new SessionClientInfo("2001:db8::1", new string('x', 200) + "😀"),
        });

        var read = await Store.GetAsync(record.Key, CancellationToken.None);

        Assert.Equal(subject, read!.Subject);
        Assert.Equal(record.Claims, read.Claims);
        Assert.Equal(record.Permissions, read.Permissions);
        Assert.Equal(record.Client, read.Client);
        Assert.Equal([record.Key], (await Store.ListBySubjectAsync(subject, CancellationToken.None)).Select(s => s.Key));
    }

    [Fact]
    public async Task Delete_all_removes_every_session_of_every_subject()
    {
        var a = await CreateAsync(NewRecord(NewSubject("a")));
        var b = await CreateAsync(NewRecord(NewSubject("b")));
        var c = await CreateAsync(NewRecord(a.Subject));

        var count = await Store.DeleteAllAsync(CancellationToken.None);

        Assert.True(count is 3 or -1, $"DeleteAllAsync returned {count}; expected 3 (or -1 when the store cannot count).");
        foreach (var record in new[] { a, b, c })
        {
            Assert.Null(await Store.GetAsync(record.Key, CancellationToken.None));
        }

        Assert.Empty(await Store.ListBySubjectAsync(a.Subject, CancellationToken.None));
        Assert.Empty(await Store.ListBySubjectAsync(b.Subject, CancellationToken.None));
    }

    [Fact]
    public async Task A_create_cancelled_before_it_starts_stores_nothing()
    {
        var subject = NewSubject();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CreateAsync(NewRecord(subject), 0, cancelled.Token));

        Assert.Empty(await Store.ListBySubjectAsync(subject, CancellationToken.None));
    }
}
