using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionKit.Caching;
using SessionKit.Diagnostics;
using SessionKit.InMemory;

namespace SessionKit.Core.Tests.Caching;

public sealed class CachingSessionStoreTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemorySessionStore _memory;
    private readonly FakeChangeFeedStore _store;
    private readonly ServiceProvider _services;
    private readonly CachingSessionStore _cache;

    public CachingSessionStoreTests()
    {
        _memory = new InMemorySessionStore(_clock, TimeSpan.FromMinutes(1));
        _store = new FakeChangeFeedStore(_memory);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new SessionKitMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        _cache = new CachingSessionStore(_store, _store, new SessionCacheOptions { Enabled = true, MaxStaleness = TimeSpan.FromSeconds(5), MaxEntries = 3 }, _clock, metrics);
        _store.Listening();
    }

    public void Dispose()
    {
        _cache.Dispose();
        _memory.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task Second_read_within_the_staleness_window_is_served_from_memory()
    {
        var key = await CreateAsync();
        using var hits = new MetricCollector<long>(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), SessionKitMetrics.MeterName, "sessionkit.cache.hits");

        Assert.NotNull(await _cache.GetAsync(key, CancellationToken.None));
        Assert.NotNull(await _cache.GetAsync(key, CancellationToken.None));

        Assert.Equal(1, _store.Gets);
        Assert.Equal(1, hits.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task Entry_older_than_the_maximum_staleness_is_read_again()
    {
        var key = await CreateAsync();
        await _cache.GetAsync(key, CancellationToken.None);

        _clock.Advance(TimeSpan.FromSeconds(5));
        await _cache.GetAsync(key, CancellationToken.None);

        Assert.Equal(2, _store.Gets);
    }

    [Fact]
    public async Task Revocation_through_this_instance_is_seen_at_once()
    {
        var key = await CreateAsync();
        await _cache.GetAsync(key, CancellationToken.None);

        Assert.True(await _cache.DeleteAsync(key, CancellationToken.None));

        Assert.Null(await _cache.GetAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task Revocation_published_by_another_instance_is_seen_on_the_next_read()
    {
        var key = await CreateAsync();
        await _cache.GetAsync(key, CancellationToken.None);

        await _memory.DeleteAsync(key, CancellationToken.None);
        _store.Publish(key);

        Assert.Null(await _cache.GetAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task Feed_reset_empties_the_cache()
    {
        var key = await CreateAsync();
        await _cache.GetAsync(key, CancellationToken.None);

        _store.Reset();

        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public async Task While_the_feed_is_disconnected_nothing_is_served_or_kept_in_memory()
    {
        var key = await CreateAsync();
        await _cache.GetAsync(key, CancellationToken.None);

        _store.Disconnected();
        await _cache.GetAsync(key, CancellationToken.None);
        await _cache.GetAsync(key, CancellationToken.None);

        Assert.Equal(3, _store.Gets);
        _store.Listening();
        Assert.Equal(0, _cache.Count);
        await _cache.GetAsync(key, CancellationToken.None);
        await _cache.GetAsync(key, CancellationToken.None);
        Assert.Equal(4, _store.Gets);
    }

    [Fact]
    public async Task Before_the_feed_first_listens_nothing_is_cached()
    {
        var store = new FakeChangeFeedStore(_memory);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var cache = new CachingSessionStore(store, store, new SessionCacheOptions { Enabled = true }, _clock, new SessionKitMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        var key = await CreateAsync();

        await cache.GetAsync(key, CancellationToken.None);
        await cache.GetAsync(key, CancellationToken.None);

        Assert.Equal(2, store.Gets);
    }

    [Fact]
    public async Task Direct_deletion_in_the_store_is_served_stale_for_at_most_the_maximum_staleness()
    {
        // The documented trade-off: an operator deleting records behind SessionKit's back is not on the feed.
        var key = await CreateAsync();
        await _cache.GetAsync(key, CancellationToken.None);
        await _memory.DeleteAsync(key, CancellationToken.None);

        Assert.NotNull(await _cache.GetAsync(key, CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(await _cache.GetAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task Read_racing_with_a_revocation_does_not_cache_its_stale_result()
    {
        var key = await CreateAsync();
        _store.GateGets = new TaskCompletionSource();
        var read = _cache.GetAsync(key, CancellationToken.None);

        await _memory.DeleteAsync(key, CancellationToken.None);
        _store.Publish(key);
        _store.GateGets.SetResult();
        Assert.NotNull(await read);
        _store.GateGets = null;

        Assert.Null(await _cache.GetAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task Cache_never_holds_more_than_its_maximum_entries()
    {
        for (var i = 0; i < 10; i++)
        {
            await _cache.GetAsync(await CreateAsync("user" + i), CancellationToken.None);
        }

        Assert.Equal(3, _cache.Count);
    }

    private async Task<SessionKey> CreateAsync(string subject = "alice")
    {
        var now = _clock.GetUtcNow();
        var (_, key) = SessionIds.Create();
        var created = await _cache.CreateAsync(
            new SessionRecord { Key = key, Subject = subject, CreatedAt = now, LastSeenAt = now, IdleExpiresAt = now.AddMinutes(30), AbsoluteExpiresAt = now.AddHours(8) },
            0,
            CancellationToken.None);
        return created.Session.Key;
    }
}
