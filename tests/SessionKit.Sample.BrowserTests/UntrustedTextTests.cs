using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SessionKit.Sample.BrowserTests;

/// <summary>
/// What the page shows is chosen by others — a user agent by whatever client signed in — so it is rendered as text. The
/// Content-Security-Policy is tested on its own: the text test turns it off, so that only the rendering protects.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class UntrustedTextTests(BrowserFixture browser)
{
    private const string Payload = """<img src=x onerror="window.__injected='img';alert('img')"><script>window.__injected='script';alert('script')</script>""";

    [Fact]
    public async Task Markup_in_another_sessions_user_agent_shows_literally_and_never_runs()
    {
        var user = await browser.Sample.CreateUserAsync();
        await using var attacker = await Device.SignInAsync(browser, user, Payload);
        // Without the policy, as if it were missing or bypassed: only the page's own handling of text stands.
        await using var viewer = await Device.OpenAsync(browser, bypassPagePolicy: true);
        var tab = viewer.Tab;
        var dialogs = new List<string>();
        tab.Page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };

        await tab.SignInAsync(user);

        await Expect(tab.Rows).ToHaveCountAsync(2);
        await Expect(tab.RowWith("<script>").Locator(".agent")).ToHaveTextAsync(Payload);
        Assert.Equal(0, await tab.Page.Locator("#session-rows img, #session-rows script").CountAsync());
        // Whatever an image error handler would have done has had its chance: the page has gone quiet.
        await tab.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Empty(dialogs);
        Assert.Equal("undefined", await tab.Page.EvaluateAsync<string>("() => typeof window.__injected"));
    }

    [Fact]
    public async Task The_page_is_served_with_a_content_security_policy_that_stops_injected_inline_script()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("/");

        Assert.NotNull(response);
        var policy = (await response.HeaderValueAsync("content-security-policy"))?.Split(';', StringSplitOptions.TrimEntries) ?? [];
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", await response.HeaderValueAsync("x-content-type-options"));
        // Enforced by Chromium: an inline script added to the page does not run, and the violation is reported.
        var outcome = await page.EvaluateAsync<string>("""
            () => new Promise(resolve => {
              document.addEventListener('securitypolicyviolation', e => resolve('blocked by ' + e.effectiveDirective), { once: true });
              const script = document.createElement('script');
              script.textContent = 'window.__inline = true';
              document.body.append(script);
              if (window.__inline) resolve('ran');
            })
            """);
        Assert.Equal("blocked by script-src-elem", outcome);
    }
}
