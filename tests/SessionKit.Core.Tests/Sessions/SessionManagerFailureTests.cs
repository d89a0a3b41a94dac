using SessionKit.StoreContract;
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

        var ex = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => _h.Manager.ValidateAsync(session.Id));

        Assert.IsType<IOException>(ex.InnerException);
        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => _h.SignInAsync());
        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => _h.Manager.RevokeAsync(session.Id));
    }

    [Fact]
    public async Task Hanging_store_fails_closed_after_the_store_timeout()
    {
        var session = await _h.SignInAsync();
        _h.Store.Outage = StoreOutage.Hangs;

        var validation = _h.Manager.ValidateAsync(session.Id);
        Assert.False(validation.IsCompleted);
        _h.Clock.Advance(TimeSpan.FromSeconds(2));

        var ex = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => validation);
        Assert.IsType<TimeoutException>(ex.InnerException);
    }

    [Fact]
    public async Task Recovered_store_serves_requests_again()
    {
        var session = await _h.SignInAsync();
        _h.Store.Outage = StoreOutage.Throws;
        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => _h.Manager.ValidateAsync(session.Id));

        _h.Store.Outage = StoreOutage.None;

        Assert.True((await _h.Manager.ValidateAsync(session.Id)).IsValid);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_an_outage()
    {
        var session = await _h.SignInAsync();
        _h.Store.Outage = StoreOutage.Hangs;
        using var cts = new CancellationTokenSource();

        var validation = _h.Manager.ValidateAsync(session.Id, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => validation);
    }
}
