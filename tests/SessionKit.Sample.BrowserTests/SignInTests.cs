using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SessionKit.Sample.BrowserTests;

/// <summary>Signing in and out on the page, and the session cookie as Chromium keeps it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture browser)
{
    [Fact]
    public async Task Signing_in_stores_the_session_cookie_as___Host_session_HttpOnly_Secure_SameSite_Lax_out_of_the_scripts_reach()
    {
        await using var device = await Device.SignInAsync(browser, await browser.Sample.CreateUserAsync());

        var cookie = Assert.Single(await device.Context.CookiesAsync());
        Assert.Equal("__Host-session", cookie.Name);
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Secure);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.Equal("/", cookie.Path);
        Assert.Equal("localhost", cookie.Domain);  // host-only: no Domain attribute, as __Host- requires
        Assert.Equal(-1, cookie.Expires);          // a browser-session cookie
        Assert.Equal("", await device.Tab.Page.EvaluateAsync<string>("() => document.cookie"));
    }

    [Fact]
    public async Task A_wrong_password_keeps_the_sign_in_form_and_says_why()
    {
        var user = await browser.Sample.CreateUserAsync();
        await using var device = await Device.OpenAsync(browser);

        await device.Tab.TypeCredentialsAsync(user.Name, "not the password");

        await Expect(device.Tab.Status).ToHaveTextAsync("Invalid username or password.");
        await Expect(device.Tab.SignInForm).ToBeVisibleAsync();
        Assert.Empty(await device.Context.CookiesAsync());
    }

    [Fact]
    public async Task Signing_out_shows_the_sign_in_form_removes_the_cookie_and_ends_the_session()
    {
        await using var device = await Device.SignInAsync(browser, await browser.Sample.CreateUserAsync());
        var cookie = Assert.Single(await device.Context.CookiesAsync());

        await device.Tab.Button("Sign out").ClickAsync();

        await Expect(device.Tab.Status).ToHaveTextAsync("You are signed out.");
        await Expect(device.Tab.SignInForm).ToBeVisibleAsync();
        Assert.Empty(await device.Context.CookiesAsync());
        // The session itself is gone, not only the browser's copy of its id.
        await using var replayed = await browser.NewContextAsync();
        var me = await replayed.APIRequest.GetAsync("/user/me", new() { Headers = new Dictionary<string, string> { ["Cookie"] = $"{cookie.Name}={cookie.Value}" } });
        Assert.Equal(401, me.Status);
    }

    [Fact]
    public async Task A_signed_in_browser_opening_the_page_again_sees_its_sessions_without_signing_in()
    {
        var user = await browser.Sample.CreateUserAsync();
        await using var device = await Device.SignInAsync(browser, user);

        var again = await MySessionsTab.OpenAsync(device.Context);

        await Expect(again.SignedInAs).ToHaveTextAsync(user.Name);
        await Expect(again.Rows).ToHaveCountAsync(1);
        await Expect(again.SignInForm).ToBeHiddenAsync();
    }
}
