using static Microsoft.Playwright.Assertions;

namespace SessionKit.Sample.BrowserTests;

/// <summary>The per-session preference on the page: a device's label lives in its session's data, nowhere else.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DeviceLabelTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_label_saved_on_the_page_names_this_session_only_and_ends_with_it()
    {
        var user = await browser.Sample.CreateUserAsync();
        await using var phone = await Device.SignInAsync(browser, user, "Phone browser");
        await using var laptop = await Device.SignInAsync(browser, user, "Laptop browser");

        await laptop.Tab.DeviceLabel.FillAsync("Work laptop <b>");
        await laptop.Tab.Button("Save").ClickAsync();

        await Expect(laptop.Tab.Status).ToHaveTextAsync("This device's name is saved with this session.");
        await Expect(laptop.Tab.CurrentRow.Locator(".label")).ToHaveTextAsync("Work laptop <b>");
        await Screenshots.SaveAsync(laptop.Tab.Page, "my-sessions");
        // Kept by the server with the session: a new tab of the laptop shows it; the phone sees it on the laptop's row.
        var again = await MySessionsTab.OpenAsync(laptop.Context);
        await Expect(again.DeviceLabel).ToHaveValueAsync("Work laptop <b>");
        await phone.Tab.Button("Refresh").ClickAsync();
        await Expect(phone.Tab.RowWith("Laptop browser").Locator(".label")).ToHaveTextAsync("Work laptop <b>");
        await Expect(phone.Tab.DeviceLabel).ToHaveValueAsync("");
        // A new sign-in is a new session: it starts without the label.
        await again.Button("Sign out").ClickAsync();
        await again.SignInAsync(user);
        await Expect(again.DeviceLabel).ToHaveValueAsync("");
        await Expect(again.CurrentRow.Locator(".label")).ToHaveCountAsync(0);
    }
}
