using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SessionKit.Sample.Tests;

/// <summary>
/// <c>GET/PUT /sessions/current/preferences</c>: a device label kept in the session's own data — read back, listed by
/// <c>GET /sessions</c> for that session only, gone with the session — and bounded input answered with problem details.
/// </summary>
public sealed class SessionPreferencesTests(SampleAppFactory app) : IClassFixture<SampleAppFactory>
{
    private const string Path = "/sessions/current/preferences";

    [Fact]
    public async Task A_label_set_on_one_session_is_read_back_and_listed_for_that_session_only()
    {
        using var client = app.CreateClient();
        var (username, password) = await CreateUserAsync(client);
        var laptop = await client.LoginForTokenAsync(username, password);
        var phone = await client.LoginForTokenAsync(username, password);

        using var put = await PutAsync(client, laptop, """{"deviceLabel":"  Work laptop "}""");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("Work laptop", await LabelAsync(put));
        Assert.Equal("Work laptop", await LabelAsync(await client.SendAsync(HttpMethod.Get, Path, laptop)));
        Assert.Null(await LabelAsync(await client.SendAsync(HttpMethod.Get, Path, phone)));
        using var list = await client.SendAsync(HttpMethod.Get, "/sessions", phone);
        var sessions = (await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .ToDictionary(s => s.GetProperty("current").GetBoolean(), s => s.GetProperty("deviceLabel").GetString());
        Assert.Equal(new Dictionary<bool, string?> { [true] = null, [false] = "Work laptop" }, sessions);
    }

    [Theory]
    [InlineData("""{"deviceLabel":null}""")]
    [InlineData("""{"deviceLabel":""}""")]
    [InlineData("""{"deviceLabel":"   "}""")]
    [InlineData("{}")]
    public async Task A_blank_label_removes_it(string body)
    {
        using var client = app.CreateClient();
        var token = await client.LoginForTokenAsync();
        (await PutAsync(client, token, """{"deviceLabel":"Phone"}""")).Dispose();

        using var put = await PutAsync(client, token, body);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Null(await LabelAsync(put));
        Assert.Null(await LabelAsync(await client.SendAsync(HttpMethod.Get, Path, token)));
    }

    [Fact]
    public async Task The_label_ends_with_its_session_and_a_new_sign_in_starts_without_one()
    {
        using var client = app.CreateClient();
        var (username, password) = await CreateUserAsync(client);
        var token = await client.LoginForTokenAsync(username, password);
        (await PutAsync(client, token, """{"deviceLabel":"Phone"}""")).Dispose();

        (await client.LogoutAsync(token)).Dispose();
        var next = await client.LoginForTokenAsync(username, password);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(HttpMethod.Get, Path, token)).StatusCode);
        Assert.Null(await LabelAsync(await client.SendAsync(HttpMethod.Get, Path, next)));
    }

    [Theory]
    [InlineData("""{"deviceLabel":"12345678901234567890123456789012345678901234567890123456789012345"}""", "at most 64 characters")]
    [InlineData("""{"deviceLabel":"Work\nlaptop"}""", "control characters")]
    [InlineData("""{"deviceLabel":"Work\u0000laptop"}""", "control characters")]
    public async Task A_label_too_long_or_with_control_characters_is_400_with_a_field_error_and_changes_nothing(string body, string error)
    {
        using var client = app.CreateClient();
        var token = await client.LoginForTokenAsync();
        (await PutAsync(client, token, """{"deviceLabel":"Tablet"}""")).Dispose();

        using var put = await PutAsync(client, token, body);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        var errors = (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(error, errors.GetProperty("deviceLabel")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("Tablet", await LabelAsync(await client.SendAsync(HttpMethod.Get, Path, token)));
    }

    [Theory]
    [InlineData("""{"deviceLabel":""", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("""{"deviceLabel":5}""", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("""deviceLabel=Phone""", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    public async Task A_malformed_body_is_answered_with_problem_details(string body, string mediaType, HttpStatusCode status)
    {
        using var client = app.CreateClient();
        var token = await client.LoginForTokenAsync();

        using var put = await PutAsync(client, token, body, mediaType);

        Assert.Equal(status, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_16_KB_is_413_problem_details()
    {
        using var client = app.CreateClient();
        var token = await client.LoginForTokenAsync();

        using var put = await PutAsync(client, token, $$"""{"deviceLabel":"{{new string('a', (int)JsonBody.MaxBytes)}}"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Without_a_session_the_preferences_are_401()
    {
        using var client = app.CreateClient();

        using var get = await client.GetAsync(Path);
        using var put = await client.PutAsync(Path, new StringContent("""{"deviceLabel":"x"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
    }

    private static async Task<(string Username, string Password)> CreateUserAsync(HttpClient client)
    {
        var user = ($"user-{Guid.NewGuid():N}@example.com", "s3cret");
        using var response = await client.PostAsJsonAsync("/user", new { username = user.Item1, password = user.Item2 });
        response.EnsureSuccessStatusCode();
        return user;
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string token, string body, string mediaType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Put, Path) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    private static async Task<string?> LabelAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceLabel").GetString();
        }
    }
}
