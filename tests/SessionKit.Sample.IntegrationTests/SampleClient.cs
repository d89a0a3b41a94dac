using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SessionKit.Sample.IntegrationTests;

/// <summary>The scenario requests, as a client of the sample would send them.</summary>
internal static class SampleClient
{
    public const string CookieName = "__Host-session";

    public static async Task<int> CreateUserAsync(HttpClient client, string username, string password)
    {
        using var response = await client.PostAsJsonAsync("/user", new { username, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("userId").GetInt32();
    }

    /// <summary>Signs in with the cookie scheme and returns the session cookie's value.</summary>
    public static async Task<string> CookieLoginAsync(HttpClient client, string username, string password)
    {
        using var response = await client.PostAsJsonAsync("/user/login", new { username, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(CookieName + "=", setCookie, StringComparison.Ordinal);
        return setCookie.Split(';')[0][(CookieName.Length + 1)..];
    }

    /// <summary>Signs in with the JWT scheme and returns the access token.</summary>
    public static async Task<string> TokenLoginAsync(HttpClient client, string username, string password)
    {
        using var response = await client.PostAsJsonAsync("/login", new { username, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    public static Task<HttpResponseMessage> WithCookieAsync(HttpClient client, HttpMethod method, string path, string? cookie, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"{CookieName}={cookie}");
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> WithTokenAsync(HttpClient client, HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }
}
