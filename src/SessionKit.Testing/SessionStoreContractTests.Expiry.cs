// Each test's name is its documentation.
#pragma warning disable CS1591

namespace SessionKit.Testing;

public abstract partial class SessionStoreContractTests
{
    [Fact]
    public async Task Session_is_not_found_once_the_clock_passes_its_idle_expiry()
    {
        var record = await CreateAsync(NewRecord(NewSubject(), idle: TimeSpan.FromMinutes(5)));

        Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.NotNull(await Store.GetAsync(record.Key, CancellationToken.None));

        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await Store.GetAsync(record.Key, CancellationToken.None));
        Assert.Empty(await Store.ListBySubjectAsync(record.Subject, CancellationToken.None));
        Assert.Empty((await Store.QueryAsync(new SessionQuery { Subject = record.Subject }, CancellationToken.None)).Sessions);
    }

    [Fact]
    public async Task Session_is_not_found_once_the_clock_passes_its_absolute_expiry_even_if_touched()
    {
        var record = await CreateAsync(NewRecord(NewSubject(), idle: TimeSpan.FromMinutes(30), absolute: TimeSpan.FromMinutes(40)));
        Clock.Advance(TimeSpan.FromMinutes(20));
        var now = Clock.GetUtcNow();
        // As the manager touches: the new idle expiry never passes the absolute one.
        Assert.True(await Store.TouchAsync(record.Key, now, record.AbsoluteExpiresAt, CancellationToken.None));

        Clock.Advance(TimeSpan.FromMinutes(20));

        Assert.Null(await Store.GetAsync(record.Key, CancellationToken.None));
    }

    [Fact]
    public async Task Expired_session_cannot_be_touched_updated_or_deleted()
    {
        var record = await CreateAsync(NewRecord(NewSubject(), idle: TimeSpan.FromMinutes(1)));
        Clock.Advance(TimeSpan.FromMinutes(2));
        var now = Clock.GetUtcNow();

        Assert.False(await Store.TouchAsync(record.Key, now, now.AddMinutes(30), CancellationToken.None));
        Assert.False(await Store.UpdateAsync(record, 1, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(record.Key, CancellationToken.None));
        Assert.Null(await Store.GetAsync(record.Key, CancellationToken.None));
    }

    [Fact]
    public async Task Expired_sessions_are_not_counted_by_subject_operations()
    {
        var subject = NewSubject();
        await CreateAsync(NewRecord(subject, idle: TimeSpan.FromMinutes(1)));
        var longLived = await CreateAsync(NewRecord(subject, idle: TimeSpan.FromMinutes(30)));
        Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal([longLived.Key], (await Store.ListBySubjectAsync(subject, CancellationToken.None)).Select(s => s.Key));
        Assert.Equal([longLived.Key], (await Store.UpdateSubjectClaimsAsync(subject, new SubjectClaims([], ["P"]), Clock.GetUtcNow().AddHours(1), CancellationToken.None)).Updated);
        Assert.Equal([longLived.Key], await Store.DeleteBySubjectAsync(subject, except: null, CancellationToken.None));
    }

    [Fact]
    public async Task Expired_sessions_do_not_count_towards_the_per_subject_maximum()
    {
        var subject = NewSubject();
        await CreateAsync(NewRecord(subject, idle: TimeSpan.FromMinutes(1)));
        await CreateAsync(NewRecord(subject));
        Clock.Advance(TimeSpan.FromMinutes(2));

        var created = await Store.CreateAsync(NewRecord(subject), 2, CancellationToken.None);

        Assert.Empty(created.Evicted);
        Assert.Equal(2, (await Store.ListBySubjectAsync(subject, CancellationToken.None)).Count);
    }
}
