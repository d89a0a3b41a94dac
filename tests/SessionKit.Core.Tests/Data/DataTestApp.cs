using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionKit.Cookies;
using SessionKit.InMemory;
using SessionKit.Testing;

namespace SessionKit.Core.Tests.Data;

/// <summary>
/// A cookie-session app that keeps a cart in the session: through <c>HttpContext.GetSessionData()</c> and through
/// <c>HttpContext.Session</c>, with and without a response body, and with an explicit commit.
/// </summary>
internal sealed class DataTestApp : IAsyncDisposable
{
    private DataTestApp(WebApplication app, CountingSessionStore store, bool kestrel)
    {
        App = app;
        Store = store;
        Client = kestrel
            ? new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()) }
            : app.GetTestClient();
        Client.BaseAddress ??= new Uri("https://localhost");
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public CountingSessionStore Store { get; }

    public SessionManager Manager => App.Services.GetRequiredService<SessionManager>();

    /// <summary>Starts the app on the test server, or on real Kestrel (a free loopback port) when <paramref name="kestrel"/> is set.</summary>
    public static async Task<DataTestApp> StartAsync(bool useExceptionHandler = true, int maxDataBytes = 16 * 1024, bool kestrel = false, string environment = "Production")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        var store = new CountingSessionStore(new InMemorySessionStore(TimeProvider.System, TimeSpan.FromMinutes(1)));
        builder.Services.AddSingleton<ISessionStore>(store);
        builder.Services.AddSessionKit(o => o.MaxDataBytes = maxDataBytes);
        builder.Services.AddProblemDetails();
        builder.Services.AddAuthentication(SessionCookieDefaults.AuthenticationScheme).AddSessionCookie();
        builder.Services.AddAuthorization();

        var app = builder.Build();
        if (useExceptionHandler)
        {
            app.UseExceptionHandler();
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost("/login", async (HttpContext context, string user) =>
        {
            await context.SignInAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", user)], "password")));
            return "signed in";
        });
        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync();
            return "signed out";
        });
        app.MapPost("/cart/{item}", (HttpContext context, string item, string? value) =>
        {
            context.GetSessionData()!.SetString("cart:" + item, value ?? "1");
            return Results.Ok("added");
        }).RequireAuthorization();
        app.MapDelete("/cart/{item}", (HttpContext context, string item) =>
        {
            context.GetSessionData()!.Remove("cart:" + item);
            return Results.NoContent();
        }).RequireAuthorization();
        app.MapPost("/cart-quietly/{item}", (HttpContext context, string item) =>
        {
            context.GetSessionData()!.SetString("cart:" + item, "1");
            return Results.NoContent();
        }).RequireAuthorization();
        app.MapPost("/big", (HttpContext context, int bytes) =>
        {
            try
            {
                context.GetSessionData()!.Set("big", new byte[bytes]);
                return Results.Ok("stored");
            }
            catch (SessionDataTooLargeException ex)
            {
                return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, detail: ex.Message);
            }
        }).RequireAuthorization();
        app.MapPost("/cart-then-big/{item}", (HttpContext context, string item, int bytes) =>
        {
            context.GetSessionData()!.SetString("cart:" + item, "1");
            context.GetSessionData()!.Set("big", new byte[bytes]);
            return Results.Ok("stored");
        }).RequireAuthorization();
        app.MapPost("/commit/{item}", async (HttpContext context, string item) =>
        {
            context.GetSessionData()!.SetString("cart:" + item, "1");
            await context.GetSessionData()!.CommitAsync(context.RequestAborted);
            return Results.Ok("committed");
        }).RequireAuthorization();
        app.MapGet("/cart", (HttpContext context) =>
        {
            var data = context.GetSessionData()!;
            return Results.Ok(data.Keys.Order(StringComparer.Ordinal).ToDictionary(k => k, k => data.GetString(k)));
        }).RequireAuthorization();
        app.MapPost("/isession/{key}", (HttpContext context, string key, string value) =>
        {
            context.Session.SetString(key, value);
            return Results.Ok(context.Session.Id);
        });
        app.MapGet("/isession/{key}", (HttpContext context, string key) =>
            Results.Ok(new IsessionView(context.Session.IsAvailable, context.Session.IsAvailable ? context.Session.GetString(key) : null, context.Session.Id)));
        await app.StartAsync();
        return new DataTestApp(app, store, kestrel);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }

    public async Task<string> SignInAsync(string user = "alice")
    {
        var response = await Client.PostAsync($"/login?user={user}", null);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Set-Cookie").Single().Split(';')[0].Split('=', 2)[1];
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? sessionId)
    {
        var request = new HttpRequestMessage(method, path);
        if (sessionId is not null)
        {
            request.Headers.Add("Cookie", $"{SessionCookieDefaults.CookieName}={sessionId}");
        }

        return Client.SendAsync(request);
    }

    public async Task<Dictionary<string, string>> CartAsync(string sessionId)
    {
        var response = await SendAsync(HttpMethod.Get, "/cart", sessionId);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;
    }

    internal sealed record IsessionView(bool Available, string? Value, string Id);
}
