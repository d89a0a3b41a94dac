using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SessionKit.Sample.Users;

namespace SessionKit.Sample.Tests;

/// <summary>Scenario A (session over JWT, as the sample README walks through it), end to end over HTTP (in-process server).</summary>
public sealed class ScenarioATests : IClassFixture<SampleAppFactory>
{
    private readonly SampleAppFactory _app;
    private readonly HttpClient _client;

    public ScenarioATests(SampleAppFactory app)
    {
        _app = app;
        _client = app.CreateClient();
    }

    [Fact]
    public async Task Scenario_A_gives_the_statuses_and_bodies_of_the_design()
    {
        // 1. POST /login → 200 {"access_token":"eyJ…", …}
        using var login = await _client.LoginAsync("root", "password");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var body = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("access_token").GetString()!;
        Assert.StartsWith("eyJ", token, StringComparison.Ordinal);
        Assert.Equal("Bearer", body.RootElement.GetProperty("token_type").GetString());

        // 2. GET /member without token → 401
        using var anonymous = await _client.MemberAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", Assert.Single(anonymous.Headers.WwwAuthenticate).ToString());

        // 3. GET /member with the token → 200 Hello World!; 4. POST /logout → 200 success logout; the token is then 401
        await _client.AssertMemberThenLogoutAsync(token);
    }

    [Fact]
    public async Task Force_logout_by_the_admin_endpoint_ends_all_of_the_users_sessions()
    {
        await _app.Services.GetRequiredService<UserDirectory>().AddAsync("carol", "carol-password", CancellationToken.None);
        var laptop = await _client.LoginForTokenAsync("carol", "carol-password");
        var phone = await _client.LoginForTokenAsync("carol", "carol-password");
        var admin = await _client.LoginForTokenAsync();

        using var revoke = await _client.SendAsync(HttpMethod.Post, "/admin/users/carol/logout", admin);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal("""{"revoked":2}""", await revoke.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.MemberAsync(laptop)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.MemberAsync(phone)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.MemberAsync(admin)).StatusCode);
    }

    [Fact]
    public async Task Force_logout_of_an_unknown_user_is_404()
    {
        var admin = await _client.LoginForTokenAsync();

        using var response = await _client.SendAsync(HttpMethod.Post, "/admin/users/nobody/logout", admin);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Deleting_the_records_directly_in_the_store_makes_the_token_401_on_the_next_request()
    {
        var token = await _client.LoginForTokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await _client.MemberAsync(token)).StatusCode);

        // The in-memory equivalent of an operator's db.sessions.deleteMany({}): straight to the store, no SessionKit API.
        await _app.Store.Inner.DeleteAllAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.MemberAsync(token)).StatusCode);
    }

    [Fact]
    public async Task Admin_endpoints_are_403_without_the_sessions_admin_permission_and_401_without_a_token()
    {
        await _app.Services.GetRequiredService<UserDirectory>().AddAsync("dave", "dave-password", CancellationToken.None);
        var token = await _client.LoginForTokenAsync("dave", "dave-password");

        using var forbidden = await _client.SendAsync(HttpMethod.Post, "/admin/sessions/revoke-all", token);
        using var anonymous = await _client.SendAsync(HttpMethod.Post, "/admin/sessions/revoke-all", null);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_permission_granted_in_the_store_is_visible_on_the_next_request_without_signing_in_again()
    {
        var erin = (await _app.Services.GetRequiredService<UserDirectory>().AddAsync("erin", "erin-password", CancellationToken.None))!;
        var token = await _client.LoginForTokenAsync("erin", "erin-password");
        await _app.Services.GetRequiredService<UserDirectory>().AddAsync("frank", "frank-password", CancellationToken.None);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(HttpMethod.Post, "/admin/users/frank/logout", token)).StatusCode);

        using (var scope = _app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserSessions>().UpdateClaimsAsync(erin with { Permissions = ["sessions:admin"], Version = erin.Version + 1 }, CancellationToken.None);
        }

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Post, "/admin/users/frank/logout", token)).StatusCode);
    }

    [Fact]
    public async Task Logging_in_with_a_current_token_rotates_the_session()
    {
        var first = await _client.LoginForTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = JsonContent("""{"username":"root","password":"password"}""") };
        request.Headers.Authorization = new("Bearer", first);
        using var second = await _client.SendAsync(request);
        second.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await second.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.MemberAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.MemberAsync(body.RootElement.GetProperty("access_token").GetString())).StatusCode);
    }

    [Theory]
    [InlineData("root", "wrong")]
    [InlineData("nobody", "password")]
    [InlineData("root", "PASSWORD")]
    public async Task Login_with_wrong_credentials_is_401_problem_details(string username, string password)
    {
        using var response = await _client.LoginAsync(username, password);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"username":"root",""")]
    [InlineData("not json")]
    [InlineData("""{"username":"root"}""")]
    [InlineData("""{"password":"password"}""")]
    [InlineData("""{"username":"","password":""}""")]
    [InlineData("""{"username":1,"password":2}""")]
    [InlineData("null")]
    public async Task Login_with_a_bad_body_is_400_problem_details(string json)
    {
        using var response = await _client.PostAsync("/login", JsonContent(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Swagger_UI_is_served_at_slash_swagger_and_documents_the_scenario()
    {
        using var ui = await _client.GetAsync("/swagger/index.html");
        var document = await _client.GetStringAsync("/swagger/v1/swagger.json");

        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("\"/login\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/member\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/logout\"", document, StringComparison.Ordinal);
        Assert.Contains("bearer", document, StringComparison.Ordinal);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
