using System.Collections.Concurrent;
using System.Globalization;

// Each test's name is its documentation.
#pragma warning disable CS1591

namespace SessionKit.Testing;

public abstract partial class SessionStoreContractTests
{
    [Fact]
    public async Task Parallel_compare_and_set_updates_lose_nothing()
    {
        const int incrementsPerWorker = 5;
        var record = await CreateAsync(NewRecord(NewSubject()) with { Claims = [new SessionClaim("counter", "0")] });

        await RunInParallelAsync(ParallelWorkers, async _ =>
        {
            for (var i = 0; i < incrementsPerWorker; i++)
            {
                await UpdateUntilStoredAsync(record.Key, current =>
                {
                    var counter = int.Parse(current.Claims.Single(c => c.Type == "counter").Value, CultureInfo.InvariantCulture);
                    return current with { Claims = [new SessionClaim("counter", (counter + 1).ToString(CultureInfo.InvariantCulture))] };
                });
            }
        });

        var final = await Store.GetAsync(record.Key, CancellationToken.None);
        var expected = ParallelWorkers * incrementsPerWorker;
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), final!.Claims.Single().Value);
        Assert.Equal(expected + 1, final.Version);
    }

    [Fact]
    public async Task Parallel_writers_of_different_data_keys_lose_nothing()
    {
        var record = await CreateAsync(NewRecord(NewSubject()));

        await RunInParallelAsync(ParallelWorkers, worker => UpdateUntilStoredAsync(record.Key, current =>
        {
            var data = new Dictionary<string, byte[]>(current.Data, StringComparer.Ordinal) { ["worker-" + worker] = BitConverter.GetBytes(worker) };
            return current with { Data = data };
        }));

        var final = await Store.GetAsync(record.Key, CancellationToken.None);
        Assert.Equal(ParallelWorkers, final!.Data.Count);
        for (var worker = 0; worker < ParallelWorkers; worker++)
        {
            Assert.Equal(BitConverter.GetBytes(worker), final.Data["worker-" + worker]);
        }
    }

    [Fact]
    public async Task Per_subject_maximum_is_never_exceeded_under_parallel_creates()
    {
        const int max = 5;
        var subject = NewSubject();
        var evictedAll = new ConcurrentBag<SessionKey>();
        var created = new ConcurrentBag<SessionKey>();
        var overLimit = 0;

        await RunInParallelAsync(ParallelWorkers, async i =>
        {
            var result = await Store.CreateAsync(NewRecord(subject, createdAt: Clock.GetUtcNow().AddMilliseconds(i)), max, CancellationToken.None);
            created.Add(result.Session.Key);
            foreach (var key in result.Evicted)
            {
                evictedAll.Add(key);
            }

            if ((await Store.ListBySubjectAsync(subject, CancellationToken.None)).Count > max)
            {
                Interlocked.Increment(ref overLimit);
            }
        });

        var live = await Store.ListBySubjectAsync(subject, CancellationToken.None);
        Assert.Equal(0, overLimit);
        Assert.Equal(max, live.Count);
        Assert.Equal(ParallelWorkers - max, evictedAll.Count);
        Assert.Equal(evictedAll.Count, evictedAll.Distinct().Count());
        Assert.Equal(Sorted(created), Sorted(evictedAll.Concat(live.Select(s => s.Key))));
    }

    [Fact]
    public async Task Parallel_deletes_of_one_session_succeed_exactly_once()
    {
        var record = await CreateAsync(NewRecord(NewSubject()));
        var successes = 0;

        await RunInParallelAsync(ParallelWorkers, async _ =>
        {
            if (await Store.DeleteAsync(record.Key, CancellationToken.None))
            {
                Interlocked.Increment(ref successes);
            }
        });

        Assert.Equal(1, successes);
        Assert.Empty(await Store.ListBySubjectAsync(record.Subject, CancellationToken.None));
    }

    /// <summary>Read, change, compare-and-set, and again on a conflict, until the change is stored.</summary>
    /// <param name="key">The session.</param>
    /// <param name="change">The change; may run more than once.</param>
    /// <returns>A task that completes when stored.</returns>
    protected async Task UpdateUntilStoredAsync(SessionKey key, Func<SessionRecord, SessionRecord> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; ; attempt++)
        {
            var current = await Store.GetAsync(key, CancellationToken.None);
            Assert.NotNull(current);
            if (await Store.UpdateAsync(change(current), current.Version, CancellationToken.None))
            {
                return;
            }

            Assert.True(attempt < 10_000, "Compare-and-set never succeeded.");
            if (attempt > 2)
            {
                await Task.Delay(Random.Shared.Next(1, 5));
            }
        }
    }
}
