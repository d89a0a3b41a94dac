using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SessionKit.Caching;
using SessionKit.Diagnostics;
using SessionKit.InMemory;
using SessionKit.Testing;

namespace SessionKit.Core.Tests.Caching;

/// <summary>
/// The store contract suite run against the local cache in front of the in-memory store: a decorator is a store too,
/// and must not return what its inner store no longer has (a deleted, expired, evicted or updated session).
/// </summary>
public sealed class CachingSessionStoreContractTests : SessionStoreContractTests
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private InMemorySessionStore? _inner;

    protected override Task<ISessionStore> CreateStoreAsync(TimeProvider time)
    {
        _inner = new InMemorySessionStore(time, TimeSpan.FromMinutes(1));
        var options = new SessionCacheOptions { Enabled = true, MaxStaleness = TimeSpan.FromMinutes(10) };
        var metrics = new SessionKitMetrics(_services.GetRequiredService<IMeterFactory>());
        return Task.FromResult<ISessionStore>(new CachingSessionStore(_inner, new SingleInstanceChangeFeed(), options, time, metrics));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _inner?.Dispose();
        await _services.DisposeAsync();
    }
}
