namespace SessionKit.StoreContract;

public abstract partial class SessionStoreContractTests
{
    [Fact]
    public async Task Created_session_reads_back_with_every_field()
    {
        var record = NewRecord(NewSubject());
        await CreateAsync(record);

        var read = await Store.GetAsync(record.Key, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(record.Key, read.Key);
        Assert.Equal(record.Subject, read.Subject);
        Assert.Equal(record.CreatedAt, read.CreatedAt);
        Assert.Equal(record.LastSeenAt, read.LastSeenAt);
        Assert.Equal(record.IdleExpiresAt, read.IdleExpiresAt);
        Assert.Equal(record.AbsoluteExpiresAt, read.AbsoluteExpiresAt);
        Assert.Equal(record.Claims, read.Claims);
        Assert.Equal(record.Permissions, read.Permissions);
        Assert.Equal(record.Client, read.Client);
        Assert.Equal(1, read.Version);
    }

    [Fact]
    public async Task Session_without_claims_or_client_metadata_reads_back_empty()
    {
        var record = NewRecord(NewSubject()) with { Claims = [], Permissions = [], Client = SessionClientInfo.None };
        await CreateAsync(record);

        var read = await Store.GetAsync(record.Key, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Empty(read.Claims);
        Assert.Empty(read.Permissions);
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
        Assert.Empty(await Store.DeleteBySubjectAsync(unknown.Subject, CancellationToken.None));
        Assert.Empty(await Store.UpdateClaimsBySubjectAsync(unknown.Subject, [], [], CancellationToken.None));
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
        var existing = NewRecord(NewSubject());
        await CreateAsync(existing);
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
        var record = NewRecord(NewSubject());
        await CreateAsync(record);
        var otherPartition = record.Key with { Partition = SessionIds.PartitionOf(NewSubject("other")) };

        Assert.Null(await Store.GetAsync(otherPartition, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(otherPartition, CancellationToken.None));
        Assert.NotNull(await Store.GetAsync(record.Key, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_is_idempotent()
    {
        var record = NewRecord(NewSubject());
        await CreateAsync(record);

        Assert.True(await Store.DeleteAsync(record.Key, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(record.Key, CancellationToken.None));
        Assert.Null(await Store.GetAsync(record.Key, CancellationToken.None));
    }

    [Fact]
    public async Task Touch_moves_last_seen_and_idle_expiry_without_changing_the_version()
    {
        var record = NewRecord(NewSubject(), idle: TimeSpan.FromMinutes(10));
        await CreateAsync(record);
        Clock.Advance(TimeSpan.FromMinutes(9));
        var now = Clock.GetUtcNow();

        Assert.True(await Store.TouchAsync(record.Key, now, now.AddMinutes(10), CancellationToken.None));
        Clock.Advance(TimeSpan.FromMinutes(9));

        var read = await Store.GetAsync(record.Key, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(now, read.LastSeenAt);
        Assert.Equal(now.AddMinutes(10), read.IdleExpiresAt);
        Assert.Equal(1, read.Version);
    }

    [Fact]
    public async Task Update_with_the_expected_version_replaces_the_record_and_increments_the_version()
    {
        var record = NewRecord(NewSubject());
        await CreateAsync(record);

        var changed = record with { Permissions = ["ONLY_THIS"], Claims = [new SessionClaim("name", "new")] };
        Assert.True(await Store.UpdateAsync(changed, 1, CancellationToken.None));

        var read = await Store.GetAsync(record.Key, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(["ONLY_THIS"], read.Permissions);
        Assert.Equal([new SessionClaim("name", "new")], read.Claims);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task Update_with_a_stale_version_is_refused_and_changes_nothing()
    {
        var record = NewRecord(NewSubject());
        await CreateAsync(record);
        Assert.True(await Store.UpdateAsync(record with { Permissions = ["FIRST"] }, 1, CancellationToken.None));

        Assert.False(await Store.UpdateAsync(record with { Permissions = ["STALE"] }, 1, CancellationToken.None));

        var read = await Store.GetAsync(record.Key, CancellationToken.None);
        Assert.Equal(["FIRST"], read!.Permissions);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task Delete_all_removes_every_session_of_every_subject()
    {
        var a = NewRecord(NewSubject("a"));
        var b = NewRecord(NewSubject("b"));
        var c = NewRecord(a.Subject);
        await CreateAsync(a);
        await CreateAsync(b);
        await CreateAsync(c);

        var count = await Store.DeleteAllAsync(CancellationToken.None);

        Assert.True(count is 3 or -1, $"DeleteAllAsync returned {count}; expected 3 (or -1 when the store cannot count).");
        foreach (var record in new[] { a, b, c })
        {
            Assert.Null(await Store.GetAsync(record.Key, CancellationToken.None));
        }

        Assert.Empty(await Store.ListBySubjectAsync(a.Subject, CancellationToken.None));
        Assert.Empty(await Store.ListBySubjectAsync(b.Subject, CancellationToken.None));
    }
}
