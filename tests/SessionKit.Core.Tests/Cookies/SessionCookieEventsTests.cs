using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using SessionKit.Cookies;

namespace SessionKit.Core.Tests.Cookies;

/// <summary>The cookie scheme's events, one by one, and <c>EventsType</c>.</summary>
public sealed class SessionCookieEventsTests
{
    [Fact]
    public async Task OnValidatePrincipal_sees_the_session_and_can_replace_the_principal()
    {
        SessionRecord? seen = null;
        await using var app = await CookieTestApp.StartAsync(configure: o => o.Events.OnValidatePrincipal = context =>
        {
            seen = context.Session;
            var identity = new ClaimsIdentity(context.Principal!.Claims, context.Scheme.Name, SessionKitClaimTypes.Name, SessionKitClaimTypes.Role);
            identity.AddClaim(new Claim(SessionKitClaimTypes.Permission, "FROM_EVENT"));
            context.ReplacePrincipal(new ClaimsPrincipal(identity));
            return Task.CompletedTask;
        });
        var (id, _) = await app.SignInAsync(permission: "READ");

        using var response = await app.SendAsync(HttpMethod.Get, "/me", id);

        Assert.Equal("alice|ALICE|READ,FROM_EVENT|1", await response.Content.ReadAsStringAsync());
        Assert.Equal("alice", seen!.Subject);
    }

    [Fact]
    public async Task OnValidatePrincipal_can_reject_the_principal_and_the_session_stays()
    {
        var reject = false;
        await using var app = await CookieTestApp.StartAsync(configure: o => o.Events.OnValidatePrincipal = context =>
        {
            if (reject)
            {
                context.RejectPrincipal();
            }

            return Task.CompletedTask;
        });
        var (id, _) = await app.SignInAsync();

        reject = true;
        using var rejected = await app.SendAsync(HttpMethod.Get, "/me", id);
        reject = false;
        using var accepted = await app.SendAsync(HttpMethod.Get, "/me", id);

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task OnSigningIn_can_change_the_principal_that_becomes_the_session_and_the_cookie_options()
    {
        await using var app = await CookieTestApp.StartAsync(configure: o => o.Events.OnSigningIn = context =>
        {
            ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim(SessionKitClaimTypes.Permission, "GRANTED_AT_SIGN_IN"));
            context.CookieOptions.MaxAge = TimeSpan.FromMinutes(5);
            return Task.CompletedTask;
        });

        var (id, signIn) = await app.SignInAsync(permission: null);
        using var me = await app.SendAsync(HttpMethod.Get, "/me", id);

        Assert.Contains("max-age=300", signIn.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("alice|ALICE|GRANTED_AT_SIGN_IN|1", await me.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OnSigningOut_runs_before_the_session_is_revoked()
    {
        bool? liveDuringEvent = null;
        await using var app = await CookieTestApp.StartAsync(configure: o => o.Events.OnSigningOut = async context =>
        {
            var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionManager>();
            var id = context.HttpContext.Request.Cookies[SessionCookieDefaults.CookieName];
            liveDuringEvent = (await sessions.ValidateAsync(id, context.Scheme.Name)).IsValid;
        });
        var (id, _) = await app.SignInAsync();

        using var logout = await app.SendAsync(HttpMethod.Post, "/logout", id);

        Assert.True(liveDuringEvent);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.SendAsync(HttpMethod.Get, "/me", id)).StatusCode);
    }

    [Fact]
    public async Task EventsType_resolves_a_derived_events_class_from_the_request_services()
    {
        await using var app = await CookieTestApp.StartAsync(
            configure: o => o.EventsType = typeof(AuditingCookieEvents),
            services: s => s.AddSingleton<AuditLog>().AddScoped<AuditingCookieEvents>());
        var (id, _) = await app.SignInAsync();

        await app.SendAsync(HttpMethod.Get, "/me", id);
        await app.SendAsync(HttpMethod.Post, "/logout", id);

        Assert.Equal(["signing-in alice", "validated alice", "signing-out"], app.Services.GetRequiredService<AuditLog>().Entries);
    }

    internal sealed class AuditLog
    {
        public List<string> Entries { get; } = [];
    }

    internal sealed class AuditingCookieEvents(AuditLog log) : SessionCookieEvents
    {
        public override Task SigningIn(SessionCookieSigningInContext context)
        {
            log.Entries.Add("signing-in " + context.Principal!.FindFirstValue("sub"));
            return base.SigningIn(context);
        }

        public override Task ValidatePrincipal(SessionCookieValidatePrincipalContext context)
        {
            if (context.HttpContext.Request.Path == "/me")
            {
                log.Entries.Add("validated " + context.Session.Subject);
            }

            return base.ValidatePrincipal(context);
        }

        public override Task SigningOut(SessionCookieSigningOutContext context)
        {
            log.Entries.Add("signing-out");
            return base.SigningOut(context);
        }
    }
}
