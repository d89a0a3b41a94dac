using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SessionKit.Sample.Tests;

/// <summary>Bad request bodies answered in-process (WebApplicationFactory): bounded fields and sizes, problem details throughout.</summary>
public sealed class RequestBodyTests(SampleAppFactory app) : IClassFixture<SampleAppFactory>
{
    public static TheoryData<string> BodyEndpoints => ["/login", "/user", "/user/login"];

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task A_username_over_256_characters_is_400_with_a_field_error(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsJsonAsync(path, new { username = new string('a', 250) + "@email.com", password = "password" });

        await AssertFieldErrorAsync(response, "username");
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task A_password_over_1024_characters_is_400_with_a_field_error(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsJsonAsync(path, new { username = "root@email.com", password = new string('p', 1025) });

        await AssertFieldErrorAsync(response, "password");
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task A_ten_megabyte_username_is_413_problem_details_before_any_work(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsJsonAsync(path, new { username = new string('a', 10 * 1024 * 1024), password = "password" });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_at_the_limit_is_read_and_judged_on_its_fields()
    {
        using var client = app.CreateClient();
        var padding = new string(' ', (int)JsonBody.MaxBytes - 64);

        using var response = await client.PostAsync("/login", new StringContent(
            $$"""{"username":"root",{{padding}}"password":"password"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("at most", errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }
}
