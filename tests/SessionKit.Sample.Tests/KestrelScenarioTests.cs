using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace SessionKit.Sample.Tests;

/// <summary>Scenario A over real sockets: the sample on Kestrel at 127.0.0.1 on a free port, and a plain HttpClient.</summary>
public sealed class KestrelScenarioTests : IAsyncLifetime
{
    private readonly SampleAppFactory _app = new();
    private HttpClient _client = null!;

    public ValueTask InitializeAsync()
    {
        _app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app.StartServer();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _client = new HttpClient { BaseAddress = new Uri(address) };
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Scenario_A_over_Kestrel_gives_the_statuses_and_bodies_of_the_design()
    {
        Assert.StartsWith("http://127.0.0.1:", _client.BaseAddress!.ToString(), StringComparison.Ordinal);

        var token = await _client.LoginForTokenAsync("root", "password");
        Assert.StartsWith("eyJ", token, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.MemberAsync(null)).StatusCode);

        await _client.AssertMemberThenLogoutAsync(token);
    }

    [Fact]
    public async Task Force_logout_of_everyone_over_Kestrel_ends_every_token()
    {
        var user = await _client.LoginForTokenAsync();
        var admin = await _client.LoginForTokenAsync();

        using var revoke = await _client.SendAsync(HttpMethod.Post, "/admin/sessions/revoke-all", admin);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.MemberAsync(user)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.MemberAsync(admin)).StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }
}
