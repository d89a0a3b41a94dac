using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SessionKit.Cookies;
using SessionKit.InMemory;
using SessionKit.Testing;

namespace SessionKit.Core.Tests.Cookies;

/// <summary>
/// A minimal app on the test server (https://localhost) that signs in, reads and signs out with the cookie scheme:
/// <c>POST /login?user=…&amp;permission=…</c>, <c>GET|POST /me</c> (authenticated: <c>{sub}|{name}|{permissions}|{version}</c>),
/// <c>GET /admin</c> (permission ADMIN), <c>POST /logout</c>, <c>POST /anonymous</c>. Logs are collected at Trace level.
/// </summary>
internal sealed class CookieTestApp : IAsyncDisposable
{
    private CookieTestApp(WebApplication app, CountingSessionStore store)
    {
        App = app;
        Store = store;
        Client = app.GetTestClient();
        Client.BaseAddress = new Uri("https://localhost");
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public CountingSessionStore Store { get; }

    public IServiceProvider Services => App.Services;

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public static async Task<CookieTestApp> StartAsync(
        string environment = "Production",
        Action<SessionCookieOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? beforeAuthentication = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddFakeLogging();
        var store = new CountingSessionStore(new InMemorySessionStore(TimeProvider.System, TimeSpan.FromMinutes(1)));
        builder.Services.AddSingleton<ISessionStore>(store);
        builder.Services.AddProblemDetails();
        builder.Services.AddAuthentication(SessionCookieDefaults.AuthenticationScheme).AddSessionCookie(o => configure?.Invoke(o));
        builder.Services.AddAuthorization();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseExceptionHandler();
        beforeAuthentication?.Invoke(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost("/login", async (HttpContext context, string user, string? permission, bool? persistent) =>
        {
            var identity = new ClaimsIdentity([new Claim("sub", user), new Claim("name", user.ToUpperInvariant())], "password");
            if (permission is not null)
            {
                identity.AddClaim(new Claim(SessionKitClaimTypes.Permission, permission));
            }

            await context.SignInAsync(new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = persistent == true });
            return "signed in";
        });
        app.MapMethods("/me", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"], (ClaimsPrincipal user, HttpContext context) =>
            $"{user.FindFirstValue("sub")}|{user.Identity!.Name}|{string.Join(',', user.FindAll(SessionKitClaimTypes.Permission).Select(c => c.Value))}|{context.GetSession()?.Version}")
            .RequireAuthorization();
        app.MapGet("/admin", () => "admin area").RequirePermission("ADMIN");
        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync();
            return "signed out";
        });
        app.MapPost("/anonymous", (ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? "authenticated" : "anonymous");
        await app.StartAsync();
        return new CookieTestApp(app, store);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>Signs in and returns the session id from the Set-Cookie header.</summary>
    public async Task<(string Id, HttpResponseMessage Response)> SignInAsync(string user = "alice", string? permission = "READ", string? currentId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/login?user={user}" + (permission is null ? "" : $"&permission={permission}"));
        if (currentId is not null)
        {
            request.Headers.Add("Cookie", $"{SessionCookieDefaults.CookieName}={currentId}");
        }

        var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var setCookie = response.Headers.GetValues("Set-Cookie").Single();
        var id = setCookie.Split(';')[0].Split('=', 2)[1];
        return (id, response);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? sessionId, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (sessionId is not null)
        {
            request.Headers.Add("Cookie", $"{SessionCookieDefaults.CookieName}={sessionId}");
        }

        configure?.Invoke(request);
        return Client.SendAsync(request);
    }

    /// <summary>Sends a request with exactly the given raw <c>Cookie</c> header values.</summary>
    public Task<HttpResponseMessage> SendWithCookieHeadersAsync(HttpMethod method, string path, params string[] cookieHeaders)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Cookie", cookieHeaders);
        return Client.SendAsync(request);
    }
}
