using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SessionKit.InMemory;
using SessionKit.Testing;

namespace SessionKit.Core.Tests.Caching;

public sealed class LocalCacheWiringTests
{
    [Fact]
    public async Task Enabled_local_cache_spares_the_store_repeated_reads_and_still_honours_logout()
    {
        using var app = new CachedApp();
        var session = await app.SignInAsync();
        var afterSignIn = app.Store.Calls;

        for (var i = 0; i < 10; i++)
        {
            Assert.True((await app.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme)).IsValid);
        }

        Assert.Equal(afterSignIn + 1, app.Store.Calls);
        await app.Manager.RevokeAsync(session.Id);
        Assert.False((await app.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme)).IsValid);
    }

    [Fact]
    public async Task A_decorator_around_the_store_does_not_hide_the_change_feed_from_the_cache()
    {
        // The app wraps the store (here in a counting decorator); the feed is a service of its own, so another
        // instance's revocation still reaches this instance's cache.
        using var app = new CachedApp();
        var session = await app.SignInAsync();
        Assert.True((await app.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme)).IsValid);

        await app.Memory.DeleteAsync(session.Session.Key, CancellationToken.None);
        app.Feed.Publish(session.Session.Key);

        Assert.False((await app.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme)).IsValid);
    }

    [Fact]
    public void Local_cache_without_a_change_feed_fails_at_start_up_saying_why()
    {
        var services = new ServiceCollection();
        services.AddSessionKit(o => o.LocalCache.Enabled = true);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SessionKitOptions>>().Value);

        Assert.Contains("change feed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_cache_is_off_by_default()
    {
        using var h = new ManagerHarness();
        var session = await h.SignInAsync();
        var afterSignIn = h.Store.Calls;

        await h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme);
        await h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme);

        Assert.Equal(afterSignIn + 2, h.Store.Calls);
    }

    /// <summary>SessionKit with the local cache on, over a store whose change feed is registered as its own service.</summary>
    private sealed class CachedApp : IDisposable
    {
        private readonly ServiceProvider _services;

        public CachedApp()
        {
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            Memory = new InMemorySessionStore(clock, TimeSpan.FromMinutes(1));
            Feed = new FakeChangeFeedStore(Memory);
            Store = new CountingSessionStore(Feed);
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton<ISessionStore>(Store);
            services.AddSingleton<ISessionChangeFeed>(Feed);
            services.AddSessionKit(o => o.LocalCache.Enabled = true);
            _services = services.BuildServiceProvider();
            Manager = _services.GetRequiredService<SessionManager>();
            Feed.Listening();
        }

        public InMemorySessionStore Memory { get; }

        public FakeChangeFeedStore Feed { get; }

        public CountingSessionStore Store { get; }

        public SessionManager Manager { get; }

        public Task<NewSession> SignInAsync()
            => Manager.CreateAsync(new SessionCreateRequest { Subject = "alice", Scheme = ManagerHarness.Scheme });

        public void Dispose()
        {
            _services.Dispose();
            Memory.Dispose();
        }
    }
}
