using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SessionKit.Cookies;
using SessionKit.Core.Tests.Jwt;
using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Authentication;

/// <summary>
/// Both schemes in a plain service container, as users' unit tests and workers build them: no host, no
/// <see cref="IHostEnvironment"/> (which then counts as "not Development").
/// </summary>
public sealed class PlainServiceContainerTests
{
    [Fact]
    public async Task Both_schemes_sign_in_and_authenticate_without_a_host()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAuthentication().AddSessionOverJwt(TestKeys.With(TestKeys.Hs256())).AddSessionCookie();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Assert.Null(provider.GetService<IHostEnvironment>());

        var signIn = NewContext(provider);
        await signIn.SignInAsync(SessionCookieDefaults.AuthenticationScheme, new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice")], "test")));
        var cookie = signIn.Response.Headers.SetCookie.ToString().Split(';')[0];
        var withCookie = NewContext(provider);
        withCookie.Request.Headers.Cookie = cookie;
        var token = await provider.GetRequiredService<SessionOverJwtTokenService>().IssueAsync("bob");
        var withToken = NewContext(provider);
        withToken.Request.Headers.Authorization = "Bearer " + token.AccessToken;

        var cookieResult = await withCookie.AuthenticateAsync(SessionCookieDefaults.AuthenticationScheme);
        var tokenResult = await withToken.AuthenticateAsync(SessionOverJwtDefaults.AuthenticationScheme);

        Assert.Equal("alice", cookieResult.Principal?.FindFirstValue("sub"));
        Assert.Equal("bob", tokenResult.Principal?.FindFirstValue("sub"));
    }

    [Fact]
    public async Task Without_an_environment_an_insecure_cookie_is_refused_as_outside_development()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAuthentication().AddSessionCookie(o =>
        {
            o.Cookie.Name = "session";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<SessionCookieOptions>>().Get(SessionCookieDefaults.AuthenticationScheme));

        Assert.Contains("must be Secure outside Development (environment 'none registered')", error.Message, StringComparison.Ordinal);
    }

    // Each request gets its scope, as the host's request services are.
    private static DefaultHttpContext NewContext(IServiceProvider services)
    {
        var context = new DefaultHttpContext { RequestServices = services.CreateScope().ServiceProvider };
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("localhost");
        return context;
    }
}
