using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SessionKit.Cookies;
using SessionKit.Core.Tests.Jwt;
using SessionKit.InMemory;
using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Authentication;

/// <summary>
/// An app with both schemes on one store (https://localhost, a fake clock): <c>POST /jwt/login?user=…</c> answers a token,
/// <c>POST /cookie/login?user=…</c> sets the cookie, <c>POST /cookie/logout</c> signs the cookie out after both schemes
/// authenticated the request, <c>GET /jwt</c> and <c>GET /cookie</c> need the respective scheme.
/// The app's exception handler answers 500 <c>handled: {message}</c> and records the exception.
/// </summary>
internal sealed class TwoSchemeApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TwoSchemeApp(WebApplication app, FakeTimeProvider time, SessionOverJwtSigningKey key)
    {
        _app = app;
        Time = time;
        Key = key;
        Client = app.GetTestClient();
        Client.BaseAddress = new Uri("https://localhost");
    }

    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    public SessionOverJwtSigningKey Key { get; }

    public IServiceProvider Services => _app.Services;

    public List<Exception> HandledExceptions { get; } = [];

    public static async Task<TwoSchemeApp> StartAsync(
        Action<SessionKitOptions>? sessionKit = null,
        Action<SessionOverJwtOptions>? jwt = null,
        Action<SessionCookieOptions>? cookie = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var key = TestKeys.Hs256();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<ISessionStore>(new InMemorySessionStore(time, TimeSpan.FromMinutes(1)));
        builder.Services.AddSessionKit(o => sessionKit?.Invoke(o));
        builder.Services.AddAuthentication()
            .AddSessionOverJwt(o =>
            {
                TestKeys.With(key)(o);
                jwt?.Invoke(o);
            })
            .AddSessionCookie(o => cookie?.Invoke(o));
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy("jwt", p => p.AddAuthenticationSchemes(SessionOverJwtDefaults.AuthenticationScheme).RequireAuthenticatedUser());
            o.AddPolicy("cookie", p => p.AddAuthenticationSchemes(SessionCookieDefaults.AuthenticationScheme).RequireAuthenticatedUser());
        });

        var app = builder.Build();
        TwoSchemeApp? created = null;
        app.UseExceptionHandler(errors => errors.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()!.Error;
            created!.HandledExceptions.Add(exception);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync("handled: " + exception.Message);
        }));
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost("/jwt/login", async (string user, SessionOverJwtTokenService tokens) => (await tokens.IssueAsync(user)).ToHttpResult());
        app.MapPost("/cookie/login", async (string user, HttpContext context) =>
        {
            await context.SignInAsync(SessionCookieDefaults.AuthenticationScheme, new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", user)], "test")));
            return "signed in";
        });
        app.MapPost("/cookie/logout", async (HttpContext context) =>
        {
            // Both schemes authenticate the request (cookie first), then the cookie scheme signs out.
            await context.AuthenticateAsync(SessionCookieDefaults.AuthenticationScheme);
            await context.AuthenticateAsync(SessionOverJwtDefaults.AuthenticationScheme);
            await context.SignOutAsync(SessionCookieDefaults.AuthenticationScheme);
            return "signed out";
        });
        app.MapGet("/jwt", (ClaimsPrincipal user) => "jwt " + user.FindFirstValue("sub")).RequireAuthorization("jwt");
        app.MapGet("/cookie", (ClaimsPrincipal user) => "cookie " + user.FindFirstValue("sub")).RequireAuthorization("cookie");
        await app.StartAsync();
        created = new TwoSchemeApp(app, time, key);
        return created;
    }

    public async Task<string> TokenAsync(string user = "alice")
    {
        using var response = await Client.PostAsync($"/jwt/login?user={user}", null);
        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<string> CookieAsync(string user = "alice")
    {
        using var response = await Client.PostAsync($"/cookie/login?user={user}", null);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Set-Cookie").Single().Split(';')[0].Split('=', 2)[1];
    }

    public Task<HttpResponseMessage> GetWithTokenAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/jwt");
        request.Headers.Add("Authorization", "Bearer " + token);
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetWithCookieAsync(string sessionId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/cookie");
        request.Headers.Add("Cookie", SessionCookieDefaults.CookieName + "=" + sessionId);
        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
