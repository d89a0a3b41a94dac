using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SessionKit.Jwt;
using SessionKit.InMemory;

namespace SessionKit.Core.Tests.Jwt;

/// <summary>The session-over-JWT scheme's events, one by one, and <c>EventsType</c>.</summary>
public sealed class SessionOverJwtEventsTests
{
    [Fact]
    public async Task OnMessageReceived_can_supply_the_token_which_gets_every_check()
    {
        await using var app = await JwtTestApp.StartAsync(o =>
        {
            TestKeys.With(TestKeys.Hs256())(o);
            o.Events.OnMessageReceived = context =>
            {
                context.Token = context.Request.Headers["X-Session-Token"];
                return Task.CompletedTask;
            };
        });
        var token = (await app.Tokens.IssueAsync("alice")).AccessToken;

        using var good = await SendAsync(app, "/me", r => r.Headers.Add("X-Session-Token", token));
        using var tampered = await SendAsync(app, "/me", r => r.Headers.Add("X-Session-Token", token[..^4] + "AAAA"));

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
    }

    [Fact]
    public async Task OnMessageReceived_can_decide_the_outcome_itself()
    {
        await using var app = await JwtTestApp.StartAsync(o =>
        {
            TestKeys.With(TestKeys.Hs256())(o);
            o.Events.OnMessageReceived = context =>
            {
                if (context.Request.Headers.ContainsKey("X-Blocked"))
                {
                    context.Fail("blocked client");
                }

                return Task.CompletedTask;
            };
        });
        var token = (await app.Tokens.IssueAsync("alice")).AccessToken;

        using var blocked = await SendAsync(app, "/me", r => { r.Headers.Add("Authorization", "Bearer " + token); r.Headers.Add("X-Blocked", "1"); });
        using var allowed = await app.GetMeAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, blocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task OnTokenValidated_sees_the_session_and_can_change_the_principal()
    {
        SessionRecord? seen = null;
        await using var app = await JwtTestApp.StartAsync(o =>
        {
            TestKeys.With(TestKeys.Hs256())(o);
            o.Events.OnTokenValidated = context =>
            {
                seen = context.Session;
                ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim(SessionKitClaimTypes.Permission, "FROM_EVENT"));
                return Task.CompletedTask;
            };
        });
        var token = await app.Tokens.IssueAsync("alice", permissions: ["READ"]);

        using var response = await app.GetMeAsync(token.AccessToken);

        Assert.Equal("alice|READ,FROM_EVENT", await response.Content.ReadAsStringAsync());
        Assert.Equal(token.Session.Key, seen!.Key);
    }

    [Fact]
    public async Task OnTokenValidated_can_refuse_the_request_and_the_session_is_not_exposed()
    {
        SessionRecord? exposed = null;
        await using var app = await JwtTestApp.StartAsync(
            o =>
            {
                TestKeys.With(TestKeys.Hs256())(o);
                o.Events.OnTokenValidated = context =>
                {
                    context.Fail("device not trusted");
                    return Task.CompletedTask;
                };
            },
            endpoints: a => a.MapGet("/peek", (HttpContext context) =>
            {
                exposed = context.GetSession();
                return "peeked";
            }));
        var token = (await app.Tokens.IssueAsync("alice")).AccessToken;

        using var me = await app.GetMeAsync(token);
        using var peek = await SendAsync(app, "/peek", r => r.Headers.Add("Authorization", "Bearer " + token));

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Assert.Single(me.Headers.WwwAuthenticate).ToString());
        Assert.Equal(HttpStatusCode.OK, peek.StatusCode);
        Assert.Null(exposed);
    }

    [Fact]
    public async Task OnChallenge_can_write_its_own_response_and_is_told_why_authentication_failed()
    {
        var failures = new List<string>();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new SwitchableStore(new InMemorySessionStore(time, TimeSpan.FromMinutes(1)));
        await using var app = await JwtTestApp.StartAsync(
            o =>
            {
                TestKeys.With(TestKeys.Hs256())(o);
                o.Events.OnChallenge = async context =>
                {
                    failures.Add(context.AuthenticateFailure?.GetType().Name ?? "none");
                    if (context.Request.Headers.ContainsKey("X-Custom"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        await context.Response.WriteAsync("custom challenge");
                        context.HandleResponse();
                    }
                };
            },
            store,
            time);
        var token = (await app.Tokens.IssueAsync("alice")).AccessToken;

        using var custom = await SendAsync(app, "/me", r => r.Headers.Add("X-Custom", "1"));
        using var invalid = await app.GetMeAsync("not-a-token");
        store.Down = true;
        using var down = await app.GetMeAsync(token);

        Assert.Equal("custom challenge", await custom.Content.ReadAsStringAsync());
        Assert.Empty(custom.Headers.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.Unauthorized, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal(["none", "AuthenticationFailureException", nameof(SessionStoreUnavailableException)], failures);
    }

    [Fact]
    public async Task OnForbidden_runs_with_status_403_and_can_replace_the_body()
    {
        var custom = false;
        await using var app = await JwtTestApp.StartAsync(o =>
        {
            TestKeys.With(TestKeys.Hs256())(o);
            o.Events.OnForbidden = context =>
            {
                Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
                return custom ? context.Response.WriteAsync("custom forbidden") : Task.CompletedTask;
            };
        });
        var token = (await app.Tokens.IssueAsync("alice", permissions: ["READ"])).AccessToken;

        using var standard = await SendAsync(app, "/admin", r => r.Headers.Add("Authorization", "Bearer " + token));
        custom = true;
        using var replaced = await SendAsync(app, "/admin", r => r.Headers.Add("Authorization", "Bearer " + token));

        Assert.Equal(HttpStatusCode.Forbidden, standard.StatusCode);
        Assert.Equal("application/problem+json", standard.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, replaced.StatusCode);
        Assert.Equal("custom forbidden", await replaced.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EventsType_resolves_a_derived_events_class_from_the_request_services()
    {
        await using var app = await JwtTestApp.StartAsync(
            o =>
            {
                TestKeys.With(TestKeys.Hs256())(o);
                o.EventsType = typeof(CountingJwtEvents);
            },
            services: s => s.AddSingleton<Counter>().AddScoped<CountingJwtEvents>());
        var token = (await app.Tokens.IssueAsync("alice")).AccessToken;

        await app.GetMeAsync(token);
        await app.GetMeAsync(null);

        var counter = app.Services.GetRequiredService<Counter>();
        Assert.Equal((2, 1, 1), (counter.Received, counter.Validated, counter.Challenged));
    }

    private static Task<HttpResponseMessage> SendAsync(JwtTestApp app, string path, Action<HttpRequestMessage> configure)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure(request);
        return app.Client.SendAsync(request);
    }

    internal sealed class Counter
    {
        public int Received { get; set; }

        public int Validated { get; set; }

        public int Challenged { get; set; }
    }

    internal sealed class CountingJwtEvents(Counter counter) : SessionOverJwtEvents
    {
        public override Task MessageReceived(SessionOverJwtMessageReceivedContext context)
        {
            counter.Received++;
            return base.MessageReceived(context);
        }

        public override Task TokenValidated(SessionOverJwtTokenValidatedContext context)
        {
            counter.Validated++;
            return base.TokenValidated(context);
        }

        public override Task Challenge(SessionOverJwtChallengeContext context)
        {
            counter.Challenged++;
            return base.Challenge(context);
        }
    }
}
