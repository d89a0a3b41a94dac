using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace SessionKit.Core.Tests.Cookies;

public sealed class SessionCookieOptionsTests
{
    [Fact]
    public async Task Insecure_cookie_outside_development_refuses_to_start()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => CookieTestApp.StartAsync("Production", o =>
        {
            o.Cookie.Name = "session";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }));

        Assert.Contains("must be Secure outside Development", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insecure_cookie_without_prefix_is_allowed_in_development()
    {
        await using var app = await CookieTestApp.StartAsync("Development", o =>
        {
            o.Cookie.Name = "session";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        Assert.NotNull(app.Client);
    }

    [Fact]
    public async Task Host_prefix_with_a_domain_refuses_to_start()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => CookieTestApp.StartAsync("Development", o => o.Cookie.Domain = "example.com"));

        Assert.Contains("__Host- prefix", ex.Message, StringComparison.Ordinal);
    }
}
