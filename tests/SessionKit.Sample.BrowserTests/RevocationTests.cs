using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SessionKit.Sample.BrowserTests;

/// <summary>
/// Two or three browser contexts — separate cookie jars, like separate devices — signed in as one user: what one revokes
/// from the page, the other notices on its next action.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RevocationTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_session_revoked_from_another_browser_shows_the_sign_in_form_on_its_next_action()
    {
        var user = await browser.Sample.CreateUserAsync();
        await using var laptop = await Device.SignInAsync(browser, user, "Laptop browser");
        await using var phone = await Device.SignInAsync(browser, user, "Phone browser");
        await laptop.Tab.Button("Refresh").ClickAsync();
        await Expect(laptop.Tab.Rows).ToHaveCountAsync(2);
        await Expect(laptop.Tab.CurrentRow).ToContainTextAsync("Laptop browser");
        await Expect(laptop.Tab.CurrentRow).ToContainTextAsync("this one");

        await laptop.Tab.RowWith("Phone browser").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();

        await Expect(laptop.Tab.Status).ToHaveTextAsync("That session is signed out.");
        await Expect(laptop.Tab.Rows).ToHaveCountAsync(1);
        await Expect(phone.Tab.SignInForm).ToBeHiddenAsync();   // the phone has not asked the server yet
        await phone.Tab.Button("Refresh").ClickAsync();
        await Expect(phone.Tab.SignInForm).ToBeVisibleAsync();
        await Expect(phone.Tab.Status).ToContainTextAsync("This session has ended");
        await Expect(phone.Tab.Rows).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(phone.Tab.Page, "revoked-elsewhere");
    }

    [Fact]
    public async Task Signing_out_of_all_other_sessions_keeps_this_one_and_ends_the_others_at_their_next_action()
    {
        var user = await browser.Sample.CreateUserAsync();
        await using var laptop = await Device.SignInAsync(browser, user, "Laptop browser");
        await using var tablet = await Device.SignInAsync(browser, user, "Tablet browser");
        await using var phone = await Device.SignInAsync(browser, user, "Phone browser");
        await Expect(phone.Tab.Rows).ToHaveCountAsync(3);

        await phone.Tab.Button("Sign out of all other sessions").ClickAsync();

        await Expect(phone.Tab.Status).ToHaveTextAsync("Signed out of 2 other sessions.");
        await Expect(phone.Tab.Rows).ToHaveCountAsync(1);
        await Expect(phone.Tab.CurrentRow).ToContainTextAsync("Phone browser");
        // The next action of each other device, whatever it is, finds its session gone.
        await laptop.Tab.DeviceLabel.FillAsync("Work laptop");
        await laptop.Tab.Button("Save").ClickAsync();
        await Expect(laptop.Tab.SignInForm).ToBeVisibleAsync();
        await tablet.Tab.Button("Sign out").ClickAsync();
        await Expect(tablet.Tab.SignInForm).ToBeVisibleAsync();
        await Expect(tablet.Tab.Status).ToContainTextAsync("This session has ended");
    }
}
