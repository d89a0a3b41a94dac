using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SessionKit.Sample.Tests;

namespace SessionKit.Sample.BrowserTests;

/// <summary>
/// The sample app, unchanged, on real Kestrel at 127.0.0.1 on a free port (Development, a fresh SQLite user database).
/// Browsers reach it as <see cref="Origin"/>, <c>http://localhost:{port}</c>: Chromium treats localhost as a secure
/// context, so the <c>__Host-</c> cookie (Secure) works over plain HTTP, and another port of localhost is another origin
/// of the same site.
/// </summary>
public sealed class SampleOnKestrel : WebApplicationFactory<Program>
{
    private HttpClient? _client;

    public string Origin { get; private set; } = "";

    public void Start()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Origin = $"http://localhost:{address.Port}";
        _client = new HttpClient { BaseAddress = address };
    }

    /// <summary>Creates a user of its own for one test (<c>POST /user</c>), so tests never see each other's sessions.</summary>
    public async Task<TestUser> CreateUserAsync()
    {
        var user = new TestUser($"user-{Guid.NewGuid():N}@example.com", "correct horse battery staple");
        using var response = await _client!.PostAsJsonAsync("/user", new { username = user.Name, password = user.Password });
        response.EnsureSuccessStatusCode();
        return user;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseTestUsersDatabase();
    }

    public override async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>A user name and password for the sign-in form.</summary>
public sealed record TestUser(string Name, string Password);
