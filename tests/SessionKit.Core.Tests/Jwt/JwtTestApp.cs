using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionKit.InMemory;
using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Jwt;

/// <summary>
/// A minimal ASP.NET Core app on the test server with the session-over-JWT scheme as default, a fake clock, a fake
/// log collector and an in-memory store that tests can share between apps (for key rotation) or replace (for outages).
/// <c>GET /me</c> requires authentication and answers <c>{sub}|{permissions}</c>; <c>GET /admin</c> needs the ADMIN permission.
/// </summary>
internal sealed class JwtTestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private JwtTestApp(WebApplication app, FakeTimeProvider time)
    {
        _app = app;
        Time = time;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _app.Services;

    public SessionOverJwtTokenService Tokens => Services.GetRequiredService<SessionOverJwtTokenService>();

    public SessionManager Sessions => Services.GetRequiredService<SessionManager>();

    public SessionAdminService Admin => Services.GetRequiredService<SessionAdminService>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public static async Task<JwtTestApp> StartAsync(
        Action<SessionOverJwtOptions> configure,
        ISessionStore? store = null,
        FakeTimeProvider? time = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? endpoints = null,
        Action<WebApplication>? beforeAuthentication = null)
    {
        time ??= new FakeTimeProvider(DateTimeOffset.UtcNow);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddFakeLogging();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(store ?? new InMemorySessionStore(time, TimeSpan.FromMinutes(1)));
        builder.Services.AddSessionKit(o => o.StoreTimeout = TimeSpan.FromMilliseconds(500));
        builder.Services.AddAuthentication(SessionOverJwtDefaults.AuthenticationScheme).AddSessionOverJwt(configure);
        builder.Services.AddAuthorization();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        beforeAuthentication?.Invoke(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", (HttpContext context) =>
                context.User.FindFirst(SessionKitClaimTypes.Subject)?.Value + "|" +
                string.Join(',', context.User.FindAll(SessionKitClaimTypes.Permission).Select(c => c.Value)))
            .RequireAuthorization();
        app.MapGet("/admin", () => "admin area").RequirePermission("ADMIN");
        endpoints?.Invoke(app);
        await app.StartAsync();
        return new JwtTestApp(app, time);
    }

    public async Task<HttpResponseMessage> GetMeAsync(string? token, string? scheme = "Bearer")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", scheme is null ? token : scheme + " " + token);
        }

        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
