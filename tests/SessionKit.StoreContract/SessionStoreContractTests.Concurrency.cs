namespace SessionKit.StoreContract;

public abstract partial class SessionStoreContractTests
{
    /// <summary>How many workers the parallel tests start; each runs on its own thread-pool thread.</summary>
    protected virtual int ParallelWorkers => 50;

    [Fact]
    public async Task Parallel_compare_and_set_updates_lose_nothing()
    {
        const int incrementsPerWorker = 5;
        var record = NewRecord(NewSubject()) with { Claims = [new SessionClaim("counter", "0")] };
        await CreateAsync(record);

        await RunInParallelAsync(ParallelWorkers, async _ =>
        {
            for (var i = 0; i < incrementsPerWorker; i++)
            {
                while (true)
                {
                    var current = await Store.GetAsync(record.Key, CancellationToken.None);
                    var counter = int.Parse(current!.Claims.Single(c => c.Type == "counter").Value, System.Globalization.CultureInfo.InvariantCulture);
                    var next = current with { Claims = [new SessionClaim("counter", (counter + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))] };
                    if (await Store.UpdateAsync(next, current.Version, CancellationToken.None))
                    {
                        break;
                    }
                }
            }
        });

        var final = await Store.GetAsync(record.Key, CancellationToken.None);
        var expected = ParallelWorkers * incrementsPerWorker;
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), final!.Claims.Single().Value);
        Assert.Equal(expected + 1, final.Version);
    }

    [Fact]
    public async Task Per_subject_maximum_is_never_exceeded_under_parallel_creates()
    {
        const int max = 5;
        var subject = NewSubject();
        var evictedAll = new System.Collections.Concurrent.ConcurrentBag<SessionKey>();
        var created = new System.Collections.Concurrent.ConcurrentBag<SessionKey>();
        var overLimit = 0;

        await RunInParallelAsync(ParallelWorkers, async i =>
        {
            var record = NewRecord(subject, createdAt: Clock.GetUtcNow().AddMilliseconds(i));
            created.Add(record.Key);
            foreach (var key in await Store.CreateAsync(record, max, CancellationToken.None))
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
        Assert.Equal(created.OrderBy(k => k.Hash, StringComparer.Ordinal), evictedAll.Concat(live.Select(s => s.Key)).OrderBy(k => k.Hash, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Parallel_deletes_of_one_session_succeed_exactly_once()
    {
        var record = NewRecord(NewSubject());
        await CreateAsync(record);
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

    /// <summary>
    /// Starts <paramref name="workers"/> tasks on the thread pool behind one gate so they overlap on every core
    /// (an awaited gate, not a blocking one, so the pool is not starved).
    /// </summary>
    protected static async Task RunInParallelAsync(int workers, Func<int, Task> work)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, workers)
            .Select(i => Task.Run(async () =>
            {
                await gate.Task;
                await work(i);
            }))
            .ToArray();
        gate.SetResult();
        await Task.WhenAll(tasks);
    }
}
