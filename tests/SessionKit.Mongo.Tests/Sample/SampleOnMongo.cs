using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SessionKit.Mongo.Tests.Sample;

/// <summary>The sample app started with <c>Store=mongo</c> on a given connection string, and the scenario-A requests.</summary>
internal static class SampleOnMongo
{
    public static WebApplicationFactory<Program> Start(string connectionString, string storeTimeout = "00:00:02")
        => new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseEnvironment("Development")
            .UseSetting("Store", "mongo")
            // A user database of the test's own (a fresh SQLite file), so tests never share users.
            .UseSetting("ConnectionStrings:users", "Data Source=" + Path.Combine(Path.GetTempPath(), "sessionkit-users-" + Guid.NewGuid().ToString("N") + ".db"))
            .UseSetting("SessionKit:StoreTimeout", storeTimeout)
            .UseSetting("ConnectionStrings:mongo", connectionString));

    public static async Task<string> LoginAsync(HttpClient client)
    {
        using var login = await client.PostAsJsonAsync("/login", new { username = "root", password = "password" });
        Assert.True(login.StatusCode == HttpStatusCode.OK, $"POST /login answered {(int)login.StatusCode}: {await login.Content.ReadAsStringAsync()}");
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    public static async Task<HttpStatusCode> MemberAsync(HttpClient client, string token)
    {
        using var response = await SendAsync(client, HttpMethod.Get, "/member", token);
        return response.StatusCode;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}
