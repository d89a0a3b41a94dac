using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace SessionKit.Sample.BrowserTests;

/// <summary>
/// A page on another origin of the same site (localhost on another port) posts plain HTML forms to the sample with the
/// signed-in browser. SameSite=Lax lets the cookie go along (same site, top-level navigation), so the 403 — not a 401 —
/// shows that the cookie arrived and the cookie scheme's origin check refused it; the sessions are untouched.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CrossOriginFormTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("revoke-others")]
    [InlineData("sign-out")]
    public async Task A_form_posted_from_another_origin_of_the_same_site_is_refused_with_403_and_changes_nothing(string form)
    {
        var user = await browser.Sample.CreateUserAsync();
        await using var laptop = await Device.SignInAsync(browser, user);
        await using var phone = await Device.SignInAsync(browser, user);
        var site = browser.OtherOrigin;
        var page = await laptop.Context.NewPageAsync();
        await page.GotoAsync(site.Origin + "/");

        var response = await page.RunAndWaitForResponseAsync(() => page.Locator($"#{form} button").ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal(403, response.Status);
        Assert.Equal("application/problem+json", (await response.HeaderValueAsync("content-type"))?.Split(';')[0]);
        var sent = await response.Request.AllHeadersAsync();
        Assert.StartsWith("__Host-session=", sent["cookie"], StringComparison.Ordinal);
        Assert.Equal(site.Origin, sent["origin"]);
        Assert.Equal("same-site", sent["sec-fetch-site"]);
        // Both devices are still signed in, with both sessions.
        using var sessions = JsonDocument.Parse(await (await laptop.Context.APIRequest.GetAsync("/sessions")).TextAsync());
        Assert.Equal(2, sessions.RootElement.GetArrayLength());
        Assert.Equal(200, (await phone.Context.APIRequest.GetAsync("/user/me")).Status);
        Assert.Single(await laptop.Context.CookiesAsync());
        await Expect((await MySessionsTab.OpenAsync(laptop.Context)).Rows).ToHaveCountAsync(2);
    }
}
