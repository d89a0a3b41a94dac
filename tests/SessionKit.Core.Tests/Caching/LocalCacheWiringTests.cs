namespace SessionKit.Core.Tests.Caching;

public sealed class LocalCacheWiringTests
{
    [Fact]
    public async Task Enabled_local_cache_spares_the_store_repeated_reads_and_still_honours_logout()
    {
        using var h = new ManagerHarness(o => o.LocalCache.Enabled = true);
        var session = await h.SignInAsync();
        var afterSignIn = h.Store.Calls;

        for (var i = 0; i < 10; i++)
        {
            Assert.True((await h.Manager.ValidateAsync(session.Id)).IsValid);
        }

        Assert.Equal(afterSignIn + 1, h.Store.Calls);
        await h.Manager.RevokeAsync(session.Id);
        Assert.False((await h.Manager.ValidateAsync(session.Id)).IsValid);
    }

    [Fact]
    public async Task Local_cache_is_off_by_default()
    {
        using var h = new ManagerHarness();
        var session = await h.SignInAsync();
        var afterSignIn = h.Store.Calls;

        await h.Manager.ValidateAsync(session.Id);
        await h.Manager.ValidateAsync(session.Id);

        Assert.Equal(afterSignIn + 2, h.Store.Calls);
    }
}
