using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SessionKit.Sample.Tests;

/// <summary>The requests of scenario A, as a client would send them.</summary>
public static class ScenarioClient
{
    public static Task<HttpResponseMessage> LoginAsync(this HttpClient client, string username = "root", string password = "password")
        => client.PostAsJsonAsync("/login", new { username, password });

    public static async Task<string> LoginForTokenAsync(this HttpClient client, string username = "root", string password = "password")
    {
        using var response = await client.LoginAsync(username, password);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, string? token)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> MemberAsync(this HttpClient client, string? token) => client.SendAsync(HttpMethod.Get, "/member", token);

    public static Task<HttpResponseMessage> LogoutAsync(this HttpClient client, string? token) => client.SendAsync(HttpMethod.Post, "/logout", token);
}
