using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SessionKit.Mongo.Tests.Peer;

namespace SessionKit.Mongo.Tests.Sample;

/// <summary>
/// Scenario A of the design brief on the sample started with <c>Store=mongo</c>, against the in-process wire peer
/// (no MongoDB server can be installed here), including the operator's <c>db.sessions.deleteMany({})</c>.
/// </summary>
public sealed class ScenarioAOnMongoTests(WirePeerFixture mongo) : IClassFixture<WirePeerFixture>
{
    [Fact]
    public async Task Scenario_A_runs_on_the_mongo_store_and_deleting_the_documents_logs_everyone_out()
    {
        var users = Path.Combine(Path.GetTempPath(), "sessionkit-users-" + Guid.NewGuid().ToString("N") + ".db");
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseEnvironment("Development")
            .UseSetting("ConnectionStrings:users", "Data Source=" + users)
            .UseSetting("Store", "mongo")
            .UseSetting("ConnectionStrings:mongo", mongo.ConnectionString.Replace("/app?", "/sessionkit?", StringComparison.Ordinal)));
        using var client = app.CreateClient();

        using var login = await client.PostAsJsonAsync("/login", new { username = "root", password = "password" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/member")).StatusCode);
        Assert.Equal("Hello World!", await SendAsync(client, HttpMethod.Get, "/member", token, HttpStatusCode.OK));
        lock (mongo.Peer.Commands.Storage.Sync)
        {
            Assert.Single(mongo.Peer.Commands.Storage.Collection("sessionkit.sessions"));
        }

        Assert.Equal("success logout", await SendAsync(client, HttpMethod.Post, "/logout", token, HttpStatusCode.OK));
        await SendAsync(client, HttpMethod.Get, "/member", token, HttpStatusCode.Unauthorized);

        // Step 5: the operator's force logout, db.sessions.deleteMany({}), done on the peer's storage.
        using var again = await client.PostAsJsonAsync("/login", new { username = "root", password = "password" });
        var second = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        await SendAsync(client, HttpMethod.Get, "/member", second, HttpStatusCode.OK);
        lock (mongo.Peer.Commands.Storage.Sync)
        {
            mongo.Peer.Commands.Storage.Collection("sessionkit.sessions").Clear();
        }

        await SendAsync(client, HttpMethod.Get, "/member", second, HttpStatusCode.Unauthorized);
        await app.DisposeAsync();
        foreach (var file in new[] { users, users + "-wal", users + "-shm" })
        {
            File.Delete(file);
        }
    }

    private static async Task<string> SendAsync(HttpClient client, HttpMethod method, string path, string token, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
