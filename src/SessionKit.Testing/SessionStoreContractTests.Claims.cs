// Each test's name is its documentation.
#pragma warning disable CS1591

namespace SessionKit.Testing;

public abstract partial class SessionStoreContractTests
{
    private static readonly SessionClaim[] Renamed = [new("name", "renamed")];

    [Fact]
    public async Task Claims_update_reaches_every_live_session_of_the_subject_and_no_other()
    {
        var subject = NewSubject();
        var first = await CreateAsync(NewRecord(subject));
        var second = await CreateAsync(NewRecord(subject));
        var other = await CreateAsync(NewRecord(NewSubject("other")));
        Assert.True(await Store.UpdateAsync(second with { Permissions = ["X"] }, 1, CancellationToken.None));

        var result = await UpdateClaimsAsync(subject, ["ASSIGN_USERS"], version: 0);

        Assert.True(result.Applied);
        Assert.Equal(1, result.Version);
        Assert.Equal(Sorted([first.Key, second.Key]), Sorted(result.Updated));
        var readFirst = await Store.GetAsync(first.Key, CancellationToken.None);
        var readSecond = await Store.GetAsync(second.Key, CancellationToken.None);
        Assert.Equal(["ASSIGN_USERS"], readFirst!.Permissions);
        Assert.Equal(Renamed, readFirst.Claims);
        Assert.Equal(1, readFirst.ClaimsVersion);
        Assert.Equal(2, readFirst.Version);
        Assert.Equal(["ASSIGN_USERS"], readSecond!.Permissions);
        Assert.Equal(3, readSecond.Version);
        Assert.Equal(other.Permissions, (await Store.GetAsync(other.Key, CancellationToken.None))!.Permissions);
    }

    [Fact]
    public async Task Claims_update_with_an_older_or_equal_version_changes_nothing()
    {
        var subject = NewSubject();
        var session = await CreateAsync(NewRecord(subject));
        Assert.True((await UpdateClaimsAsync(subject, ["V5"], version: 5)).Applied);

        var older = await UpdateClaimsAsync(subject, ["V3"], version: 3);
        var same = await UpdateClaimsAsync(subject, ["V5-again"], version: 5);

        Assert.False(older.Applied);
        Assert.False(same.Applied);
        Assert.Equal(5, older.Version);
        Assert.Empty(older.Updated);
        var read = await Store.GetAsync(session.Key, CancellationToken.None);
        Assert.Equal(["V5"], read!.Permissions);
        Assert.Equal(5, read.ClaimsVersion);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task Claims_update_without_a_version_comes_after_the_latest_one()
    {
        var subject = NewSubject();
        await UpdateClaimsAsync(subject, ["V5"], version: 5);

        var next = await UpdateClaimsAsync(subject, ["NEXT"], version: 0);

        Assert.True(next.Applied);
        Assert.Equal(6, next.Version);
    }

    [Fact]
    public async Task A_sign_in_with_claims_older_than_an_update_gets_the_updated_claims()
    {
        var subject = NewSubject();
        await UpdateClaimsAsync(subject, ["FROM_UPDATE"], version: 5);

        var created = await CreateAsync(NewRecord(subject) with { Permissions = ["READ_BEFORE_UPDATE"], ClaimsVersion = 4 });
        var read = await Store.GetAsync(created.Key, CancellationToken.None);

        foreach (var session in new[] { created, read! })
        {
            Assert.Equal(["FROM_UPDATE"], session.Permissions);
            Assert.Equal(Renamed, session.Claims);
            Assert.Equal(5, session.ClaimsVersion);
        }
    }

    [Fact]
    public async Task A_sign_in_with_claims_newer_than_an_update_keeps_its_claims_until_a_newer_update()
    {
        var subject = NewSubject();
        await UpdateClaimsAsync(subject, ["V5"], version: 5);
        var created = await CreateAsync(NewRecord(subject) with { Permissions = ["V9"], ClaimsVersion = 9 });

        var stale = await UpdateClaimsAsync(subject, ["V7"], version: 7);
        var afterStale = await Store.GetAsync(created.Key, CancellationToken.None);
        var newer = await UpdateClaimsAsync(subject, ["V10"], version: 10);
        var afterNewer = await Store.GetAsync(created.Key, CancellationToken.None);

        Assert.Equal(["V9"], created.Permissions);
        Assert.True(stale.Applied);
        Assert.Empty(stale.Updated);
        Assert.Equal(["V9"], afterStale!.Permissions);
        Assert.Equal([created.Key], newer.Updated);
        Assert.Equal(["V10"], afterNewer!.Permissions);
        Assert.Equal(10, afterNewer.ClaimsVersion);
    }

    [Fact]
    public async Task A_sign_in_without_a_version_keeps_its_claims_and_takes_the_latest_version()
    {
        var subject = NewSubject();
        await UpdateClaimsAsync(subject, ["V5"], version: 5);

        var created = await CreateAsync(NewRecord(subject) with { Permissions = ["OWN"], ClaimsVersion = 0 });
        var next = await UpdateClaimsAsync(subject, ["NEXT"], version: 0);

        Assert.Equal(["OWN"], created.Permissions);
        Assert.Equal(5, created.ClaimsVersion);
        Assert.Equal([created.Key], next.Updated);
        Assert.Equal(["NEXT"], (await Store.GetAsync(created.Key, CancellationToken.None))!.Permissions);
    }

    [Fact]
    public async Task Sessions_signed_in_concurrently_with_a_claims_update_end_with_the_update()
    {
        var subject = NewSubject();
        var created = new System.Collections.Concurrent.ConcurrentBag<SessionKey>();

        await RunInParallelAsync(ParallelWorkers, async i =>
        {
            if (i == ParallelWorkers / 2)
            {
                await UpdateClaimsAsync(subject, ["UPDATED"], version: 2);
            }
            else
            {
                created.Add((await Store.CreateAsync(NewRecord(subject) with { Permissions = ["READ_AT_V1"], ClaimsVersion = 1 }, 0, CancellationToken.None)).Session.Key);
            }
        });

        var sessions = await Store.ListBySubjectAsync(subject, CancellationToken.None);
        Assert.Equal(ParallelWorkers - 1, sessions.Count);
        Assert.Equal(Sorted(created), Sorted(sessions.Select(s => s.Key)));
        Assert.All(sessions, s => Assert.Equal(["UPDATED"], s.Permissions));
        Assert.All(sessions, s => Assert.Equal(2, s.ClaimsVersion));
    }

    [Fact]
    public async Task Concurrent_claims_updates_end_in_version_order_whatever_order_they_arrive_in()
    {
        var subject = NewSubject();
        var sessions = new List<SessionRecord>();
        for (var i = 0; i < 3; i++)
        {
            sessions.Add(await CreateAsync(NewRecord(subject) with { ClaimsVersion = 1 }));
        }

        var versions = Enumerable.Range(2, ParallelWorkers).OrderBy(_ => Random.Shared.Next()).ToArray();
        await RunInParallelAsync(versions.Length, i => UpdateClaimsAsync(subject, ["V" + versions[i]], versions[i]));

        var newest = versions.Max();
        foreach (var session in sessions)
        {
            var read = await Store.GetAsync(session.Key, CancellationToken.None);
            Assert.Equal(["V" + newest], read!.Permissions);
            Assert.Equal(newest, read.ClaimsVersion);
        }

        Assert.False((await UpdateClaimsAsync(subject, ["LATE"], newest - 1)).Applied);
    }

    private Task<SubjectClaimsUpdateResult> UpdateClaimsAsync(string subject, IReadOnlyList<string> permissions, long version)
        => Store.UpdateSubjectClaimsAsync(subject, new SubjectClaims(Renamed, permissions, version), Clock.GetUtcNow().AddHours(8), CancellationToken.None);
}
