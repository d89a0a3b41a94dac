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
        await using var laptop = await browser.NewContextAsync(new() { UserAgent = "Laptop browser" });
        await using var phone = await browser.NewContextAsync(new() { UserAgent = "Phone browser" });
        var onLaptop = await MySessionsTab.OpenAsync(laptop);
        await onLaptop.SignInAsync(user);
        var onPhone = await MySessionsTab.OpenAsync(phone);
        await onPhone.SignInAsync(user);
        await onLaptop.Button("Refresh").ClickAsync();
        await Expect(onLaptop.Rows).ToHaveCountAsync(2);
        await Expect(onLaptop.CurrentRow).ToContainTextAsync("Laptop browser");
        await Expect(onLaptop.CurrentRow).ToContainTextAsync("this one");

        await onLaptop.RowWith("Phone browser").GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();

        await Expect(onLaptop.Status).ToHaveTextAsync("That session is signed out.");
        await Expect(onLaptop.Rows).ToHaveCountAsync(1);
        await Expect(onPhone.SignInForm).ToBeHiddenAsync();   // the phone has not asked the server yet
        await onPhone.Button("Refresh").ClickAsync();
        await Expect(onPhone.SignInForm).ToBeVisibleAsync();
        await Expect(onPhone.Status).ToContainTextAsync("This session has ended");
        await Expect(onPhone.Rows).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(onPhone.Page, "revoked-elsewhere");
    }

    [Fact]
    public async Task Signing_out_of_all_other_sessions_keeps_this_one_and_ends_the_others_at_their_next_action()
    {
        var user = await browser.Sample.CreateUserAsync();
        await using var laptop = await browser.NewContextAsync(new() { UserAgent = "Laptop browser" });
        await using var phone = await browser.NewContextAsync(new() { UserAgent = "Phone browser" });
        await using var tablet = await browser.NewContextAsync(new() { UserAgent = "Tablet browser" });
        var onLaptop = await MySessionsTab.OpenAsync(laptop);
        await onLaptop.SignInAsync(user);
        var onTablet = await MySessionsTab.OpenAsync(tablet);
        await onTablet.SignInAsync(user);
        var onPhone = await MySessionsTab.OpenAsync(phone);
        await onPhone.SignInAsync(user);
        await Expect(onPhone.Rows).ToHaveCountAsync(3);

        await onPhone.Button("Sign out of all other sessions").ClickAsync();

        await Expect(onPhone.Status).ToHaveTextAsync("Signed out of 2 other sessions.");
        await Expect(onPhone.Rows).ToHaveCountAsync(1);
        await Expect(onPhone.CurrentRow).ToContainTextAsync("Phone browser");
        // The next action of each other device, whatever it is, finds its session gone.
        await onLaptop.DeviceLabel.FillAsync("Work laptop");
        await onLaptop.Button("Save").ClickAsync();
        await Expect(onLaptop.SignInForm).ToBeVisibleAsync();
        await onTablet.Button("Sign out").ClickAsync();
        await Expect(onTablet.SignInForm).ToBeVisibleAsync();
        await Expect(onTablet.Status).ToContainTextAsync("This session has ended");
    }
}
