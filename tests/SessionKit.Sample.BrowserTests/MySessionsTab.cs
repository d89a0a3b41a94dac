using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SessionKit.Sample.BrowserTests;

/// <summary>One browser tab on the sample's "My sessions" page, with what a person sees and does there.</summary>
internal sealed class MySessionsTab(IPage page)
{
    public IPage Page => page;

    public ILocator SignInForm => page.Locator("#sign-in-form");

    public ILocator SignedInAs => page.Locator("#user-name");

    public ILocator Status => page.Locator("#status");

    /// <summary>The rows of the sessions table, one per session.</summary>
    public ILocator Rows => page.Locator("#session-rows tr");

    /// <summary>The row of the session this tab is signed in with ("this one").</summary>
    public ILocator CurrentRow => page.Locator("#session-rows tr.current");

    public ILocator DeviceLabel => page.Locator("#device-label");

    /// <summary>Opens the page at the sample's origin in a new tab of <paramref name="context"/>.</summary>
    public static async Task<MySessionsTab> OpenAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        return new MySessionsTab(page);
    }

    public ILocator Button(string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>The row of the session whose device cell contains <paramref name="text"/>.</summary>
    public ILocator RowWith(string text) => Rows.Filter(new() { HasText = text });

    /// <summary>Fills in the sign-in form and submits it; returns once the page shows the signed-in view.</summary>
    public async Task SignInAsync(TestUser user)
    {
        await TypeCredentialsAsync(user.Name, user.Password);
        await Expect(SignedInAs).ToHaveTextAsync(user.Name);
        await Expect(CurrentRow).ToBeVisibleAsync();
    }

    public async Task TypeCredentialsAsync(string name, string password)
    {
        await page.Locator("#username").FillAsync(name);
        await page.Locator("#password").FillAsync(password);
        await Button("Sign in").ClickAsync();
    }
}
