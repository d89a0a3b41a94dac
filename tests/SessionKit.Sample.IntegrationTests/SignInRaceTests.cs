using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SessionKit.Testing.Redis;

namespace SessionKit.Sample.IntegrationTests;

/// <summary>
/// A sign-in reads the user, spends tens of milliseconds hashing the password, then creates the session: a group change
/// that completes inside that window must still reach the new session. The sample passes its user row's version with
/// both, so the store keeps the newer permissions whatever order the two calls reach it in.
/// </summary>
public sealed class SignInRaceTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    private const int Trials = 100;

    [Theory]
    [InlineData("memory")]
    [InlineData("redis")]
    public async Task A_sign_in_racing_a_group_change_never_keeps_the_older_permissions(string store)
    {
        await using var app = store == "redis"
            ? SampleApp.OnRedis(redis.ConnectionString, "race-" + Guid.NewGuid().ToString("N")[..8] + ":")
            : new SampleApp(new Dictionary<string, string?> { ["Store"] = "memory" });
        using var client = app.CreateApiClient();
        var admin = await SampleClient.CookieLoginAsync(client, "admin", "admin");
        var stale = 0;

        for (var trial = 0; trial < Trials; trial++)
        {
            var username = $"racer{trial}@email.com";
            var id = await SampleClient.CreateUserAsync(client, username, "password");
            var signIn = SampleClient.CookieLoginAsync(client, username, "password");
            var assign = AssignAsync(client, admin, id);
            var (cookie, _) = (await signIn, await assign);

            using var me = await SampleClient.WithCookieAsync(client, HttpMethod.Get, "/user/me", cookie);
            var permissions = (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("permissions").EnumerateArray().Select(p => p.GetString());
            if (!permissions.Contains("ASSIGN_USERS"))
            {
                stale++;
            }
        }

        output.WriteLine($"{store}: {Trials} sign-ins racing a group change; sessions left with the older permissions: {stale}");
        Assert.Equal(0, stale);
    }

    private static async Task<bool> AssignAsync(HttpClient client, string admin, int userId)
    {
        using var response = await SampleClient.WithCookieAsync(client, HttpMethod.Post, "/user/assign", admin, new { userId, groupIds = new[] { 2 } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return true;
    }
}
