namespace SessionKit.StoreContract;

public abstract partial class SessionStoreContractTests
{
    [Fact]
    public async Task Subject_index_lists_exactly_the_live_sessions_after_create_rotate_delete_and_expire()
    {
        var subject = NewSubject();
        var other = NewSubject("other");
        var kept = NewRecord(subject);
        var deleted = NewRecord(subject);
        var expiring = NewRecord(subject, idle: TimeSpan.FromMinutes(1));
        var rotatedAway = NewRecord(subject);
        var othersSession = NewRecord(other);
        foreach (var record in new[] { kept, deleted, expiring, rotatedAway, othersSession })
        {
            await CreateAsync(record);
            Clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        // Rotation as the session manager does it: the old id dies, a new one with the same content appears.
        Assert.True(await Store.DeleteAsync(rotatedAway.Key, CancellationToken.None));
        var rotated = NewRecord(subject) with { CreatedAt = rotatedAway.CreatedAt };
        await CreateAsync(rotated);
        Assert.True(await Store.DeleteAsync(deleted.Key, CancellationToken.None));
        Clock.Advance(TimeSpan.FromMinutes(2));

        var listed = await Store.ListBySubjectAsync(subject, CancellationToken.None);

        Assert.Equal(new[] { kept.Key, rotated.Key }.OrderBy(k => k.Hash, StringComparer.Ordinal), listed.Select(s => s.Key).OrderBy(k => k.Hash, StringComparer.Ordinal));
        Assert.All(listed, s => Assert.Equal(subject, s.Subject));
        Assert.Equal([othersSession.Key], (await Store.ListBySubjectAsync(other, CancellationToken.None)).Select(s => s.Key));
    }

    [Fact]
    public async Task Subject_sessions_are_listed_oldest_first()
    {
        var subject = NewSubject();
        var start = Clock.GetUtcNow();
        var newest = NewRecord(subject, createdAt: start.AddSeconds(3));
        var oldest = NewRecord(subject, createdAt: start.AddSeconds(1));
        var middle = NewRecord(subject, createdAt: start.AddSeconds(2));
        await CreateAsync(newest);
        await CreateAsync(oldest);
        await CreateAsync(middle);

        var listed = await Store.ListBySubjectAsync(subject, CancellationToken.None);

        Assert.Equal([oldest.Key, middle.Key, newest.Key], listed.Select(s => s.Key));
    }

    [Fact]
    public async Task Delete_by_subject_removes_that_subject_only_and_returns_the_deleted_keys()
    {
        var subject = NewSubject();
        var other = NewRecord(NewSubject("other"));
        var first = NewRecord(subject);
        var second = NewRecord(subject);
        await CreateAsync(first);
        await CreateAsync(second);
        await CreateAsync(other);

        var deleted = await Store.DeleteBySubjectAsync(subject, CancellationToken.None);

        Assert.Equal(new[] { first.Key, second.Key }.OrderBy(k => k.Hash, StringComparer.Ordinal), deleted.OrderBy(k => k.Hash, StringComparer.Ordinal));
        Assert.Null(await Store.GetAsync(first.Key, CancellationToken.None));
        Assert.Null(await Store.GetAsync(second.Key, CancellationToken.None));
        Assert.Empty(await Store.ListBySubjectAsync(subject, CancellationToken.None));
        Assert.NotNull(await Store.GetAsync(other.Key, CancellationToken.None));
        Assert.Empty(await Store.DeleteBySubjectAsync(subject, CancellationToken.None));
    }

    [Fact]
    public async Task Claims_update_reaches_every_live_session_of_the_subject_and_no_other()
    {
        var subject = NewSubject();
        var first = NewRecord(subject);
        var second = NewRecord(subject);
        var other = NewRecord(NewSubject("other"));
        await CreateAsync(first);
        await CreateAsync(second);
        await CreateAsync(other);
        Assert.True(await Store.UpdateAsync(second with { Permissions = ["X"] }, 1, CancellationToken.None));

        var updated = await Store.UpdateClaimsBySubjectAsync(subject, [new SessionClaim("name", "renamed")], ["ASSIGN_USERS"], CancellationToken.None);

        Assert.Equal(new[] { first.Key, second.Key }.OrderBy(k => k.Hash, StringComparer.Ordinal), updated.OrderBy(k => k.Hash, StringComparer.Ordinal));
        var readFirst = await Store.GetAsync(first.Key, CancellationToken.None);
        var readSecond = await Store.GetAsync(second.Key, CancellationToken.None);
        Assert.Equal(["ASSIGN_USERS"], readFirst!.Permissions);
        Assert.Equal([new SessionClaim("name", "renamed")], readFirst.Claims);
        Assert.Equal(2, readFirst.Version);
        Assert.Equal(["ASSIGN_USERS"], readSecond!.Permissions);
        Assert.Equal(3, readSecond.Version);
        Assert.Equal(other.Permissions, (await Store.GetAsync(other.Key, CancellationToken.None))!.Permissions);
    }

    [Fact]
    public async Task Creating_past_the_per_subject_maximum_evicts_the_oldest()
    {
        var subject = NewSubject();
        var start = Clock.GetUtcNow();
        var oldest = NewRecord(subject, createdAt: start);
        var middle = NewRecord(subject, createdAt: start.AddSeconds(1));
        var newest = NewRecord(subject, createdAt: start.AddSeconds(2));
        Assert.Empty(await Store.CreateAsync(oldest, 2, CancellationToken.None));
        Assert.Empty(await Store.CreateAsync(middle, 2, CancellationToken.None));

        var evicted = await Store.CreateAsync(newest, 2, CancellationToken.None);

        Assert.Equal([oldest.Key], evicted);
        Assert.Null(await Store.GetAsync(oldest.Key, CancellationToken.None));
        Assert.Equal([middle.Key, newest.Key], (await Store.ListBySubjectAsync(subject, CancellationToken.None)).Select(s => s.Key));
    }
}
