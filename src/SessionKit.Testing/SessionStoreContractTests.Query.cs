// Each test's name is its documentation.
#pragma warning disable CS1591

namespace SessionKit.Testing;

public abstract partial class SessionStoreContractTests
{
    [Fact]
    public async Task Query_by_subject_pages_through_its_live_sessions_oldest_first()
    {
        var subject = NewSubject();
        var start = Clock.GetUtcNow();
        var created = new List<SessionKey>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await CreateAsync(NewRecord(subject, createdAt: start.AddSeconds(i)))).Key);
        }

        await CreateAsync(NewRecord(NewSubject("other")));
        var expired = await CreateAsync(NewRecord(subject, idle: TimeSpan.FromMinutes(1), createdAt: start.AddSeconds(10)));
        Clock.Advance(TimeSpan.FromMinutes(2));

        var seen = await QueryAllAsync(new SessionQuery { Subject = subject, PageSize = 2 });

        Assert.Equal(created, seen.Select(s => s.Key));
        Assert.DoesNotContain(expired.Key, seen.Select(s => s.Key));
    }

    [Fact]
    public async Task Query_of_all_sessions_returns_every_live_session_at_least_once()
    {
        var created = new HashSet<SessionKey>();
        for (var i = 0; i < 7; i++)
        {
            var subject = NewSubject("q" + i);
            created.Add((await CreateAsync(NewRecord(subject))).Key);
            created.Add((await CreateAsync(NewRecord(subject))).Key);
        }

        var expired = await CreateAsync(NewRecord(NewSubject("gone"), idle: TimeSpan.FromMinutes(1)));
        Clock.Advance(TimeSpan.FromMinutes(2));

        var seen = await QueryAllAsync(new SessionQuery { PageSize = 3 });

        Assert.Equal(Sorted(created), Sorted(seen.Select(s => s.Key).Distinct()));
        Assert.DoesNotContain(expired.Key, seen.Select(s => s.Key));
    }

    [Fact]
    public async Task Query_filters_by_creation_and_last_seen_time()
    {
        var subject = NewSubject();
        var start = Clock.GetUtcNow();
        var early = await CreateAsync(NewRecord(subject, idle: TimeSpan.FromHours(1), createdAt: start.AddMinutes(-30)));
        var late = await CreateAsync(NewRecord(subject, idle: TimeSpan.FromHours(1), createdAt: start.AddMinutes(-5)));
        var active = await CreateAsync(NewRecord(NewSubject("active"), idle: TimeSpan.FromHours(1), createdAt: start.AddMinutes(-20)));
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await Store.TouchAsync(active.Key, Clock.GetUtcNow(), Clock.GetUtcNow().AddMinutes(30), CancellationToken.None));

        var createdRecently = await QueryAllAsync(new SessionQuery { CreatedFrom = start.AddMinutes(-10) });
        var createdBefore = await QueryAllAsync(new SessionQuery { Subject = subject, CreatedBefore = start.AddMinutes(-10) });
        var seenRecently = await QueryAllAsync(new SessionQuery { LastSeenFrom = start });
        var idle = await QueryAllAsync(new SessionQuery { LastSeenBefore = start });

        Assert.Equal([late.Key], createdRecently.Select(s => s.Key).Distinct());
        Assert.Equal([early.Key], createdBefore.Select(s => s.Key));
        Assert.Equal([active.Key], seenRecently.Select(s => s.Key).Distinct());
        Assert.Equal(Sorted([early.Key, late.Key]), Sorted(idle.Select(s => s.Key).Distinct()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("subject")]
    public async Task Query_refuses_a_continuation_token_it_did_not_issue(string? subject)
    {
        await CreateAsync(NewRecord(NewSubject()));

        await Assert.ThrowsAsync<ArgumentException>(() => Store.QueryAsync(new SessionQuery { Subject = subject, ContinuationToken = "forged!" }, CancellationToken.None));
    }

    /// <summary>Reads every page of <paramref name="query"/> (bounded, so a store that never ends fails instead of hanging).</summary>
    /// <param name="query">The first page's query.</param>
    /// <returns>The sessions of all pages, in page order.</returns>
    protected async Task<List<SessionRecord>> QueryAllAsync(SessionQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var all = new List<SessionRecord>();
        for (var pages = 0; pages < 10_000; pages++)
        {
            var page = await Store.QueryAsync(query, CancellationToken.None);
            all.AddRange(page.Sessions);
            if (page.ContinuationToken is null)
            {
                return all;
            }

            query = query with { ContinuationToken = page.ContinuationToken };
        }

        Assert.Fail("The query never ended.");
        return all;
    }
}
