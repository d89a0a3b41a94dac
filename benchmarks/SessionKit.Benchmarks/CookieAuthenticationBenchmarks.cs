using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using SessionKit.Cookies;

namespace SessionKit.Benchmarks;

/// <summary>
/// Per-request cost of authenticating a cookie. Baseline: ASP.NET Core's cookie authentication (<c>AddCookie</c>), whose
/// cookie is the whole data-protected ticket (stateless). Compared: SessionKit's cookie scheme, whose cookie is an opaque
/// id looked up in the in-memory store. Both cookies come from a real sign-in with the same claims (subject, name, three
/// permissions); each call builds a request scope and an <see cref="HttpContext"/> carrying the cookie, then runs
/// <c>AuthenticateAsync</c> on the scheme — what the authentication middleware does per request.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
public class CookieAuthenticationBenchmarks
{
    private const string BaselineScheme = "BaselineCookie";

    private ServiceProvider _services = null!;
    private string _baselineCookie = null!;
    private string _sessionCookie = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Production, ApplicationName = "bench" });
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAuthentication()
            .AddCookie(BaselineScheme, o => o.Cookie.Name = "baseline-cookie")
            .AddSessionCookie();
        _services = services.BuildServiceProvider();
        _baselineCookie = SignInAsync(BaselineScheme).GetAwaiter().GetResult();
        _sessionCookie = SignInAsync(SessionCookieDefaults.AuthenticationScheme).GetAwaiter().GetResult();
        if (!Baseline_AspNetCore_cookie().GetAwaiter().GetResult() || !SessionKit_cookie_in_memory().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("Both schemes must accept their cookie.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "AddCookie: data-protected ticket (stateless)")]
    public Task<bool> Baseline_AspNetCore_cookie() => AuthenticateAsync(BaselineScheme, _baselineCookie);

    [Benchmark(Description = "SessionKit cookie: in-memory session lookup")]
    public Task<bool> SessionKit_cookie_in_memory() => AuthenticateAsync(SessionCookieDefaults.AuthenticationScheme, _sessionCookie);

    [Benchmark(Description = "breakdown: request scope + HttpContext only")]
    public bool Breakdown_scope_and_context()
    {
        using var scope = _services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Cookie = _sessionCookie;
        return context.Request.Cookies.Count == 1;
    }

    private async Task<bool> AuthenticateAsync(string scheme, string cookie)
    {
        await using var scope = _services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Scheme = "https";
        context.Request.Headers.Cookie = cookie;
        return (await context.AuthenticateAsync(scheme).ConfigureAwait(false)).Succeeded;
    }

    // A real sign-in with the sample's cookie claims; returns the "name=value" of the cookie it set.
    private async Task<string> SignInAsync(string scheme)
    {
        await using var scope = _services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Scheme = "https";
        var identity = new ClaimsIdentity(
            [new Claim(SessionKitClaimTypes.Subject, "1"), new Claim(SessionKitClaimTypes.Name, "admin")], authenticationType: "password");
        identity.AddClaims(new[] { "CREATE_ROLE", "CREATE_GROUP", "ASSIGN_USERS" }.Select(p => new Claim(SessionKitClaimTypes.Permission, p)));
        await context.SignInAsync(scheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        var setCookie = context.Response.Headers.SetCookie.ToString();
        return setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }
}
