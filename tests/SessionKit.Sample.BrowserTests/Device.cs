using Microsoft.Playwright;

namespace SessionKit.Sample.BrowserTests;

/// <summary>
/// A browser context — its own cookie jar, like a separate device — with the "My sessions" page open in a tab.
/// Disposing it closes the context.
/// </summary>
internal sealed class Device(IBrowserContext context, MySessionsTab tab) : IAsyncDisposable
{
    public IBrowserContext Context => context;

    public MySessionsTab Tab => tab;

    /// <summary>A new context on <paramref name="browser"/> with the page open.</summary>
    /// <param name="browser">The shared browser and sample.</param>
    /// <param name="userAgent">The User-Agent the device sends (Chromium's own when null).</param>
    /// <param name="bypassPagePolicy">Ignore the page's Content-Security-Policy, to test what the page does without it.</param>
    public static async Task<Device> OpenAsync(BrowserFixture browser, string? userAgent = null, bool bypassPagePolicy = false)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { UserAgent = userAgent, BypassCSP = bypassPagePolicy });
        return new Device(context, await MySessionsTab.OpenAsync(context));
    }

    /// <summary>A new context with the page open and signed in as <paramref name="user"/> through its form.</summary>
    public static async Task<Device> SignInAsync(BrowserFixture browser, TestUser user, string? userAgent = null)
    {
        var device = await OpenAsync(browser, userAgent);
        await device.Tab.SignInAsync(user);
        return device;
    }

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
