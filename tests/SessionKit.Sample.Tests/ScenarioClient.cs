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

    /// <summary>
    /// Steps 3 and 4 of scenario A: the token reaches <c>GET /member</c> (200 <c>Hello World!</c>), <c>POST /logout</c>
    /// answers 200 <c>success logout</c>, and the token is then refused with <c>Bearer error="invalid_token"</c>.
    /// </summary>
    public static async Task AssertMemberThenLogoutAsync(this HttpClient client, string token)
    {
        using var member = await client.MemberAsync(token);
        Assert.Equal(System.Net.HttpStatusCode.OK, member.StatusCode);
        Assert.Equal("Hello World!", await member.Content.ReadAsStringAsync());

        using var logout = await client.LogoutAsync(token);
        Assert.Equal(System.Net.HttpStatusCode.OK, logout.StatusCode);
        Assert.Equal("success logout", await logout.Content.ReadAsStringAsync());

        using var afterLogout = await client.MemberAsync(token);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, afterLogout.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Assert.Single(afterLogout.Headers.WwwAuthenticate).ToString());
    }
}
