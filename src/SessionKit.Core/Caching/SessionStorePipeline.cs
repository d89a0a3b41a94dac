using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionKit.Diagnostics;

namespace SessionKit.Caching;

/// <summary>
/// The store the <see cref="SessionManager"/> talks to: the registered <see cref="ISessionStore"/>, behind the local
/// cache when <see cref="SessionCacheOptions.Enabled"/>. Owned by the container so the cache's subscription ends with it.
/// </summary>
internal sealed class SessionStorePipeline : IDisposable
{
    private SessionStorePipeline(ISessionStore store) => Store = store;

    public ISessionStore Store { get; }

    public static SessionStorePipeline Create(IServiceProvider services)
    {
        var store = services.GetRequiredService<ISessionStore>();
        var cache = services.GetRequiredService<IOptions<SessionKitOptions>>().Value.LocalCache;
        return cache.Enabled
            ? new SessionStorePipeline(new CachingSessionStore(store, cache, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<SessionKitMetrics>()))
            : new SessionStorePipeline(store);
    }

    public void Dispose() => (Store as CachingSessionStore)?.Dispose();
}
