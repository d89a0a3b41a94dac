using Microsoft.Extensions.DependencyInjection;
using SessionKit.Testing;

namespace SessionKit.Core.Tests.Sessions;

public sealed class SessionManagerFailureTests : IDisposable
{
    private readonly ManagerHarness _h = new(o => o.StoreTimeout = TimeSpan.FromSeconds(2));

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Failing_store_fails_closed_with_store_unavailable()
    {
        var session = await _h.SignInAsync();
        _h.Store.Outage = StoreOutage.Throws;

        var ex = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme));

        Assert.Contains("connection refused", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => _h.SignInAsync());
        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => _h.Manager.RevokeAsync(session.Id));
    }

    [Fact]
    public async Task Hanging_store_fails_closed_after_the_store_timeout()
    {
        var session = await _h.SignInAsync();
        _h.Store.Outage = StoreOutage.Hangs;

        var validation = _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme);
        Assert.False(validation.IsCompleted);
        _h.Clock.Advance(TimeSpan.FromSeconds(2));

        var ex = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => validation);
        Assert.IsAssignableFrom<OperationCanceledException>(ex.InnerException);
        Assert.Contains("StoreTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recovered_store_serves_requests_again()
    {
        var session = await _h.SignInAsync();
        _h.Store.Outage = StoreOutage.Throws;
        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme));

        _h.Store.Outage = StoreOutage.None;

        Assert.True((await _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme)).IsValid);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_an_outage()
    {
        var session = await _h.SignInAsync();
        _h.Store.Outage = StoreOutage.Hangs;
        using var cts = new CancellationTokenSource();

        var validation = _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => validation);
    }

    [Fact]
    public async Task A_store_exception_that_is_not_an_outage_propagates_as_the_bug_it_is()
    {
        var session = await _h.SignInAsync();
        using var h = new ManagerHarness();
        var store = new Jwt.SwitchableStore(h.Inner) { Fault = new InvalidOperationException("a bug in the store") };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ISessionStore>(store);
        services.AddSessionKit();
        using var provider = services.BuildServiceProvider();
        var manager = provider.GetRequiredService<SessionManager>();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.ValidateAsync(session.Id, ManagerHarness.Scheme));

        Assert.Equal("a bug in the store", ex.Message);
    }
}
