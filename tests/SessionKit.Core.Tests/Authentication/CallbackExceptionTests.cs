using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SessionKit.Core.Tests.Authentication;

/// <summary>
/// Exceptions thrown by app callbacks (<see cref="SessionEvents"/> and the schemes' events) reach the app's exception
/// handler the same way in both schemes, as they do from ASP.NET Core's own handlers' events: never a 401 or a 503.
/// </summary>
public sealed class CallbackExceptionTests
{
    public static TheoryData<string> Callbacks => ["SessionEvents.OnRefreshed", "SessionEvents.OnExpired", "scheme event"];

    [Theory]
    [MemberData(nameof(Callbacks))]
    public async Task A_throwing_callback_reaches_the_apps_exception_handler_in_both_schemes(string callback)
    {
        var armed = false;
        Task Throw() => armed ? throw new InvalidOperationException("callback failed: " + callback) : Task.CompletedTask;
        await using var app = await TwoSchemeApp.StartAsync(
            sessionKit: o =>
            {
                o.TouchThreshold = 0; // every request writes its last-seen time, so OnRefreshed runs on each
                o.IdleTimeout = TimeSpan.FromMinutes(10);
                if (callback == "SessionEvents.OnRefreshed")
                {
                    o.Events.OnRefreshed = _ => Throw();
                }

                if (callback == "SessionEvents.OnExpired")
                {
                    o.Events.OnExpired = _ => Throw();
                }
            },
            jwt: o => o.Events.OnTokenValidated = _ => callback == "scheme event" ? Throw() : Task.CompletedTask,
            cookie: o => o.Events.OnValidatePrincipal = _ => callback == "scheme event" ? Throw() : Task.CompletedTask);
        var token = await app.TokenAsync();
        var cookie = await app.CookieAsync();
        armed = true;
        if (callback == "SessionEvents.OnExpired")
        {
            // A shorter idle timeout applies to live sessions at once: the stored record is there, the policy ends it.
            app.Services.GetRequiredService<IOptionsMonitor<SessionKitOptions>>().CurrentValue.IdleTimeout = TimeSpan.FromMinutes(1);
            app.Time.Advance(TimeSpan.FromMinutes(2));
        }

        using var jwtResponse = await app.GetWithTokenAsync(token);
        using var cookieResponse = await app.GetWithCookieAsync(cookie);

        Assert.Equal(HttpStatusCode.InternalServerError, jwtResponse.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, cookieResponse.StatusCode);
        Assert.Equal("handled: callback failed: " + callback, await jwtResponse.Content.ReadAsStringAsync());
        Assert.Equal("handled: callback failed: " + callback, await cookieResponse.Content.ReadAsStringAsync());
        Assert.Equal(2, app.HandledExceptions.Count(e => e.Message == "callback failed: " + callback));
    }

    [Fact]
    public async Task A_throwing_OnCreated_fails_the_sign_in_of_both_schemes_through_the_exception_handler()
    {
        await using var app = await TwoSchemeApp.StartAsync(sessionKit: o => o.Events.OnCreated = _ => throw new InvalidOperationException("refused by the app"));

        using var jwt = await app.Client.PostAsync("/jwt/login?user=alice", null);
        using var cookie = await app.Client.PostAsync("/cookie/login?user=alice", null);

        Assert.Equal(HttpStatusCode.InternalServerError, jwt.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, cookie.StatusCode);
        Assert.False(cookie.Headers.Contains("Set-Cookie"));
        Assert.Equal(2, app.HandledExceptions.Count);
    }
}
