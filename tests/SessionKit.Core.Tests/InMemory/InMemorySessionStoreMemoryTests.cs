using Microsoft.Extensions.Time.Testing;
using SessionKit.InMemory;

namespace SessionKit.Core.Tests.InMemory;

/// <summary>Heap measurements are process-wide, so nothing else may run meanwhile.</summary>
[CollectionDefinition(nameof(InMemorySessionStoreMemoryTests), DisableParallelization = true)]
[Collection(nameof(InMemorySessionStoreMemoryTests))]
public sealed class InMemorySessionStoreMemoryTests
{
    [Fact]
    public async Task Ten_thousand_expired_sessions_are_purged_and_memory_returns_to_its_baseline()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = new InMemorySessionStore(clock, TimeSpan.FromMinutes(1));
        string[] permissions = ["CREATE_ROLE", "CREATE_GROUP", "ASSIGN_USERS"];
        var baseline = MeasureHeap();

        for (var i = 0; i < 10_000; i++)
        {
            var now = clock.GetUtcNow();
            var (_, key) = SessionIds.Create();
            await store.CreateAsync(
                new SessionRecord
                {
                    Key = key,
                    Subject = "user-" + i,
                    CreatedAt = now,
                    LastSeenAt = now,
                    IdleExpiresAt = now.AddMinutes(5),
                    AbsoluteExpiresAt = now.AddHours(1),
                    Permissions = permissions,
                },
                0,
                CancellationToken.None);
        }

        var full = MeasureHeap();
        Assert.Equal(10_000, store.RecordCount);

        clock.Advance(TimeSpan.FromMinutes(6)); // fires the purge timer
        var after = MeasureHeap();

        Assert.Equal(0, store.RecordCount);
        Assert.Equal(0, store.SubjectCount);
        Assert.True(full - baseline > 2_000_000, $"10,000 sessions should occupy megabytes (baseline {baseline:N0} B, full {full:N0} B)");
        // The dictionaries keep their bucket arrays (a few hundred KB for 10,000 entries); the records are gone.
        Assert.True(after - baseline < 1_000_000, $"memory did not return to baseline: baseline {baseline:N0} B, full {full:N0} B, after purge {after:N0} B");
    }

    private static long MeasureHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
