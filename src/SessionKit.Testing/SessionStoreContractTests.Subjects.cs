// Each test's name is its documentation.
#pragma warning disable CS1591

namespace SessionKit.Testing;

public abstract partial class SessionStoreContractTests
{
    [Fact]
    public async Task Subject_index_lists_exactly_the_live_sessions_after_create_rotate_delete_and_expire()
    {
        var subject = NewSubject();
        var other = NewSubject("other");
        var kept = await CreateAsync(NewRecord(subject));
        Clock.Advance(TimeSpan.FromMilliseconds(10));
        var deleted = await CreateAsync(NewRecord(subject));
        Clock.Advance(TimeSpan.FromMilliseconds(10));
        await CreateAsync(NewRecord(subject, idle: TimeSpan.FromMinutes(1)));
        Clock.Advance(TimeSpan.FromMilliseconds(10));
        var rotatedAway = await CreateAsync(NewRecord(subject));
        var othersSession = await CreateAsync(NewRecord(other));

        // Rotation as the session manager does it: the old id dies, a new one with the same content appears.
        Assert.True(await Store.DeleteAsync(rotatedAway.Key, CancellationToken.None));
        var rotated = await CreateAsync(NewRecord(subject) with { CreatedAt = rotatedAway.CreatedAt });
        Assert.True(await Store.DeleteAsync(deleted.Key, CancellationToken.None));
        Clock.Advance(TimeSpan.FromMinutes(2));

        var listed = await Store.ListBySubjectAsync(subject, CancellationToken.None);

        Assert.Equal(Sorted([kept.Key, rotated.Key]), Sorted(listed.Select(s => s.Key)));
        Assert.All(listed, s => Assert.Equal(subject, s.Subject));
        Assert.Equal([othersSession.Key], (await Store.ListBySubjectAsync(other, CancellationToken.None)).Select(s => s.Key));
    }

    [Fact]
    public async Task Subject_sessions_are_listed_oldest_first()
    {
        var subject = NewSubject();
        var start = Clock.GetUtcNow();
        var newest = await CreateAsync(NewRecord(subject, createdAt: start.AddSeconds(3)));
        var oldest = await CreateAsync(NewRecord(subject, createdAt: start.AddSeconds(1)));
        var middle = await CreateAsync(NewRecord(subject, createdAt: start.AddSeconds(2)));

        var listed = await Store.ListBySubjectAsync(subject, CancellationToken.None);

        Assert.Equal([oldest.Key, middle.Key, newest.Key], listed.Select(s => s.Key));
    }

    [Fact]
    public async Task Delete_by_subject_removes_that_subject_only_and_returns_the_deleted_keys()
    {
        var subject = NewSubject();
        var first = await CreateAsync(NewRecord(subject));
        var second = await CreateAsync(NewRecord(subject));
        var other = await CreateAsync(NewRecord(NewSubject("other")));

        var deleted = await Store.DeleteBySubjectAsync(subject, except: null, CancellationToken.None);

        Assert.Equal(Sorted([first.Key, second.Key]), Sorted(deleted));
        Assert.Null(await Store.GetAsync(first.Key, CancellationToken.None));
        Assert.Null(await Store.GetAsync(second.Key, CancellationToken.None));
        Assert.Empty(await Store.ListBySubjectAsync(subject, CancellationToken.None));
        Assert.NotNull(await Store.GetAsync(other.Key, CancellationToken.None));
        Assert.Empty(await Store.DeleteBySubjectAsync(subject, except: null, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_by_subject_keeps_the_session_it_is_told_to_keep()
    {
        var subject = NewSubject();
        var first = await CreateAsync(NewRecord(subject));
        var current = await CreateAsync(NewRecord(subject));
        var third = await CreateAsync(NewRecord(subject));
        var someoneElses = await CreateAsync(NewRecord(NewSubject("other")));

        var deleted = await Store.DeleteBySubjectAsync(subject, current.Key, CancellationToken.None);

        Assert.Equal(Sorted([first.Key, third.Key]), Sorted(deleted));
        Assert.Equal([current.Key], (await Store.ListBySubjectAsync(subject, CancellationToken.None)).Select(s => s.Key));
        Assert.NotNull(await Store.GetAsync(someoneElses.Key, CancellationToken.None));
    }

    [Fact]
    public async Task Creating_past_the_per_subject_maximum_evicts_the_oldest()
    {
        var subject = NewSubject();
        var start = Clock.GetUtcNow();
        var oldest = await Store.CreateAsync(NewRecord(subject, createdAt: start), 2, CancellationToken.None);
        var middle = await Store.CreateAsync(NewRecord(subject, createdAt: start.AddSeconds(1)), 2, CancellationToken.None);
        Assert.Empty(oldest.Evicted);
        Assert.Empty(middle.Evicted);

        var newest = await Store.CreateAsync(NewRecord(subject, createdAt: start.AddSeconds(2)), 2, CancellationToken.None);

        Assert.Equal([oldest.Session.Key], newest.Evicted);
        Assert.Null(await Store.GetAsync(oldest.Session.Key, CancellationToken.None));
        Assert.Equal([middle.Session.Key, newest.Session.Key], (await Store.ListBySubjectAsync(subject, CancellationToken.None)).Select(s => s.Key));
    }
}
