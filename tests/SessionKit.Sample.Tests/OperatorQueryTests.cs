using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SessionKit.Sample.Tests;

/// <summary><c>GET /admin/sessions</c> pages through every session with the operator service; keys revoke one.</summary>
public sealed class OperatorQueryTests : IClassFixture<SampleAppFactory>
{
    private readonly HttpClient _client;

    public OperatorQueryTests(SampleAppFactory app) => _client = app.CreateClient();

    [Fact]
    public async Task An_operator_pages_through_all_sessions_filters_by_user_and_revokes_one_by_key()
    {
        var root = await _client.LoginForTokenAsync();
        var admin = await _client.LoginForTokenAsync("admin", "admin");
        var adminAgain = await _client.LoginForTokenAsync("admin", "admin");

        var all = await AllPagesAsync(root, "/admin/sessions?pageSize=1");
        var admins = await AllPagesAsync(root, "/admin/sessions?userId=1");

        Assert.True(all.Count >= 3, $"{all.Count} sessions listed");
        Assert.Equal(all.Count, all.Select(s => s.GetProperty("key").GetString()).Distinct().Count());
        Assert.Equal(2, admins.Count(s => s.GetProperty("userId").GetString() == "1"));
        Assert.All(admins, s => Assert.Equal("1", s.GetProperty("userId").GetString()));
        Assert.DoesNotContain(all, s => s.GetRawText().Contains(adminAgain.Split('.')[1], StringComparison.Ordinal));

        var victim = admins[0].GetProperty("key").GetString()!;
        using var revoked = await _client.SendAsync(HttpMethod.Delete, "/admin/sessions/" + victim, root);
        using var again = await _client.SendAsync(HttpMethod.Delete, "/admin/sessions/" + victim, root);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Single(await AllPagesAsync(root, "/admin/sessions?userId=1"));
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(HttpMethod.Get, "/admin/sessions", adminAgain)).StatusCode);
    }

    [Theory]
    [InlineData("/admin/sessions?continuation=forged", "continuation")]
    [InlineData("/admin/sessions?pageSize=0", "pageSize")]
    [InlineData("/admin/sessions?pageSize=100000", "pageSize")]
    public async Task Bad_paging_input_is_a_400_naming_the_field(string path, string field)
    {
        var root = await _client.LoginForTokenAsync();

        using var response = await _client.SendAsync(HttpMethod.Get, path, root);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("AAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Revoking_a_key_that_names_no_session_is_404(string key)
    {
        var root = await _client.LoginForTokenAsync();

        using var response = await _client.SendAsync(HttpMethod.Delete, "/admin/sessions/" + key, root);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<List<JsonElement>> AllPagesAsync(string token, string path)
    {
        var sessions = new List<JsonElement>();
        string? continuation = null;
        for (var pages = 0; pages < 1000; pages++)
        {
            using var response = await _client.SendAsync(HttpMethod.Get, continuation is null ? path : path + "&continuation=" + Uri.EscapeDataString(continuation), token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            sessions.AddRange(page.GetProperty("sessions").EnumerateArray());
            if (page.GetProperty("continuation").ValueKind == JsonValueKind.Null)
            {
                return sessions;
            }

            continuation = page.GetProperty("continuation").GetString();
        }

        throw new InvalidOperationException("The query never ended.");
    }
}
