using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SessionKit.Testing;

/// <summary>
/// The behaviour every SessionKit authentication scheme must have, whatever carries the session id: 401 without
/// credentials, 403 when a permission is missing, 503 — never 200, 401 or 500 — while the store cannot answer, and 401
/// for bad input, without a store call. To check a scheme, derive one class in an xunit v3 test project and implement
/// the abstract members; every test then runs against a small app on the test server that uses that scheme.
/// </summary>
/// <remarks>
/// The app has SessionKit's default services (the in-memory store unless <see cref="ConfigureServices"/> registers
/// another); the suite wraps whatever <see cref="ISessionStore"/> is registered in a <see cref="CountingSessionStore"/>
/// to count store calls and simulate outages. Endpoints: <c>POST /sign-in?sub=…&amp;permission=…</c> (runs
/// <see cref="IssueCredentialAsync"/>), <c>GET /protected</c> (an authenticated user of the scheme), <c>GET /reports</c> (the
/// <c>REPORTS</c> permission).
/// </remarks>
public abstract class SessionSchemeContractTests : IAsyncLifetime
{
    /// <summary>The permission <c>GET /reports</c> requires.</summary>
    protected const string ReportsPermission = "REPORTS";

    private WebApplication? _app;
    private CountingSessionStore? _store;
    private HttpClient? _client;

    /// <summary>The scheme name the binding registers in <see cref="AddScheme"/>.</summary>
    protected abstract string SchemeName { get; }

    /// <summary>The client of the test server (base address <c>https://localhost</c>).</summary>
    protected HttpClient Client => _client ?? throw new InvalidOperationException("The app is started in InitializeAsync.");

    /// <summary>The app's store, counting calls; set <see cref="CountingSessionStore.Outage"/> to simulate an outage.</summary>
    protected CountingSessionStore Store => _store ?? throw new InvalidOperationException("The app is started in InitializeAsync.");

    /// <summary>The app's services.</summary>
    protected IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The app is started in InitializeAsync.");

    /// <summary>Adds the scheme under test, named <see cref="SchemeName"/>.</summary>
    /// <param name="authentication">The app's authentication builder.</param>
    protected abstract void AddScheme(AuthenticationBuilder authentication);

    /// <summary>
    /// Signs <paramref name="user"/> in with the scheme, inside the request <paramref name="context"/> (the suite's
    /// sign-in endpoint), and returns the credential the client must present from now on (a token, a cookie value).
    /// </summary>
    /// <param name="context">The sign-in request.</param>
    /// <param name="user">A principal with a <c>sub</c> claim and <c>permission</c> claims.</param>
    /// <returns>The credential.</returns>
    protected abstract Task<string> IssueCredentialAsync(HttpContext context, ClaimsPrincipal user);

    /// <summary>Puts <paramref name="credential"/> on <paramref name="request"/> the way clients of the scheme send it.</summary>
    /// <param name="request">The request.</param>
    /// <param name="credential">A credential as <see cref="IssueCredentialAsync"/> returned it, or a bad one.</param>
    protected abstract void AddCredential(HttpRequestMessage request, string credential);

    /// <summary>
    /// Credentials a broken client or an attacker could send (malformed, oversized, forged, tampered); each must be
    /// answered 401 without a store call.
    /// </summary>
    /// <param name="valid">A valid credential, to derive tampered ones from.</param>
    /// <returns>The bad credentials.</returns>
    protected abstract IEnumerable<string> BadCredentials(string valid);

    /// <summary>Adds or replaces services of the app (another store, options); called after the scheme was added.</summary>
    /// <param name="services">The app's services.</param>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddSessionKit(o => o.StoreTimeout = TimeSpan.FromMilliseconds(500));
        AddScheme(builder.Services.AddAuthentication());
        builder.Services.AddAuthorization(o => o.AddPolicy("scheme", p => p.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser()));
        ConfigureServices(builder.Services);
        WrapStore(builder.Services);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPost("/sign-in", async (HttpContext context, string sub, string? permission) =>
        {
            var identity = new ClaimsIdentity([new Claim(SessionKitClaimTypes.Subject, sub)], "test");
            if (permission is not null)
            {
                identity.AddClaim(new Claim(SessionKitClaimTypes.Permission, permission));
            }

            return await IssueCredentialAsync(context, new ClaimsPrincipal(identity));
        });
        app.MapGet("/protected", (ClaimsPrincipal user) => user.FindFirst(SessionKitClaimTypes.Subject)?.Value).RequireAuthorization("scheme");
        app.MapGet("/reports", () => "reports").RequirePermission(ReportsPermission, SchemeName);
        await app.StartAsync();
        _app = app;
        _store = app.Services.GetRequiredService<ISessionStore>() as CountingSessionStore;
        _client = app.GetTestClient();
        _client.BaseAddress = new Uri("https://localhost");
    }

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>Signs a user in through the app and returns the credential.</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="permission">A permission to grant, or <see langword="null"/>.</param>
    /// <returns>The credential.</returns>
    protected async Task<string> SignInAsync(string subject, string? permission = null)
    {
        using var response = await Client.PostAsync($"/sign-in?sub={Uri.EscapeDataString(subject)}" + (permission is null ? "" : "&permission=" + Uri.EscapeDataString(permission)), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Sends a GET with a credential (or none).</summary>
    /// <param name="path">The path.</param>
    /// <param name="credential">The credential, or <see langword="null"/>.</param>
    /// <returns>The response.</returns>
    protected async Task<HttpResponseMessage> GetAsync(string path, string? credential)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (credential is not null)
        {
            AddCredential(request, credential);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Without credentials: 401 with problem details, and no store call.</summary>
    [Fact]
    public async Task A_request_without_credentials_is_401_problem_details_without_a_store_call()
    {
        var before = Store.Calls;

        using var response = await GetAsync("/protected", null);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(before, Store.Calls);
    }

    /// <summary>A credential of a live session authenticates as its subject.</summary>
    [Fact]
    public async Task A_valid_credential_authenticates_as_its_subject()
    {
        var credential = await SignInAsync("contract-user");

        using var response = await GetAsync("/protected", credential);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("contract-user", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Authenticated but without the permission: 403 problem details; with it: 200.</summary>
    [Fact]
    public async Task A_missing_permission_is_403_problem_details()
    {
        var reader = await SignInAsync("reader", "READ");
        var analyst = await SignInAsync("analyst", ReportsPermission);

        using var forbidden = await GetAsync("/reports", reader);
        using var allowed = await GetAsync("/reports", analyst);
        using var anonymous = await GetAsync("/reports", null);

        await AssertProblemAsync(forbidden, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);
    }

    /// <summary>A store that refuses connections: 503 with <c>Retry-After</c> on every protected endpoint, then recovery.</summary>
    [Fact]
    public async Task A_store_that_refuses_connections_fails_closed_with_503_never_200_401_or_500()
    {
        var analyst = await SignInAsync("analyst", ReportsPermission);
        Store.Outage = StoreOutage.Throws;

        using var protectedDown = await GetAsync("/protected", analyst);
        using var reportsDown = await GetAsync("/reports", analyst);
        Store.Outage = StoreOutage.None;
        using var recovered = await GetAsync("/reports", analyst);

        await AssertStoreUnavailableAsync(protectedDown);
        await AssertStoreUnavailableAsync(reportsDown);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    /// <summary>A store that never answers: 503 once the store timeout passed.</summary>
    [Fact]
    public async Task A_store_that_never_answers_fails_closed_with_503_after_the_store_timeout()
    {
        var credential = await SignInAsync("patient");
        Store.Outage = StoreOutage.Hangs;

        using var response = await GetAsync("/protected", credential);

        await AssertStoreUnavailableAsync(response);
    }

    /// <summary>A sign-in while the store is down: 503 (through SessionKit's exception handler), no credential.</summary>
    [Fact]
    public async Task A_sign_in_during_an_outage_is_503()
    {
        Store.Outage = StoreOutage.Throws;

        using var response = await Client.PostAsync("/sign-in?sub=late", null);

        await AssertStoreUnavailableAsync(response);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    /// <summary>Every bad credential: 401, and no store call.</summary>
    [Fact]
    public async Task Bad_credentials_are_401_without_a_store_call()
    {
        var valid = await SignInAsync("target");
        foreach (var bad in BadCredentials(valid))
        {
            var before = Store.Calls;

            using var response = await GetAsync("/protected", bad);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"'{Shorten(bad)}' was answered {(int)response.StatusCode}, not 401.");
            Assert.True(before == Store.Calls, $"'{Shorten(bad)}' reached the store.");
        }
    }

    /// <summary>A revoked session's credential: 401.</summary>
    [Fact]
    public async Task A_revoked_session_is_401()
    {
        var credential = await SignInAsync("leaver");
        await Services.GetRequiredService<SessionAdminService>().RevokeSubjectAsync("leaver");

        using var response = await GetAsync("/protected", credential);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"status\":{(int)status}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task AssertStoreUnavailableAsync(HttpResponseMessage response)
    {
        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "…";

    // Wraps whatever store the app registered, so the suite counts calls and simulates outages on it.
    private static void WrapStore(IServiceCollection services)
    {
        var registered = services.LastOrDefault(static d => d.ServiceType == typeof(ISessionStore) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("No ISessionStore is registered.");
        services.Remove(registered);
        services.AddSingleton<ISessionStore>(sp => new CountingSessionStore((ISessionStore)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!))));
    }
}
