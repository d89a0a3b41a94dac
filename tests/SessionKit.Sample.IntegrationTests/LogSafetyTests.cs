using System.Net;
using SessionKit.Testing.Redis;

namespace SessionKit.Sample.IntegrationTests;

/// <summary>Logs of a full run of both scenarios, at Trace level, never hold a session id, token or cookie value.</summary>
public sealed class LogSafetyTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Logs_of_both_scenarios_hold_no_session_id_token_or_cookie_value()
    {
        var logs = new CapturingLoggerProvider();
        var secrets = new List<string>();
        await using (var app = SampleApp.OnRedis(redis.ConnectionString, "logs:", logs: logs))
        {
            using var client = app.CreateApiClient();

            // Scenario A, plus a forged and a garbage token.
            var token = await SampleClient.TokenLoginAsync(client, "root", "password");
            secrets.Add(token);
            (await SampleClient.WithTokenAsync(client, HttpMethod.Get, "/member", token)).Dispose();
            (await SampleClient.WithTokenAsync(client, HttpMethod.Get, "/member", token[..^4] + "AAAA")).Dispose();
            (await SampleClient.WithTokenAsync(client, HttpMethod.Get, "/member", "garbage-token-value")).Dispose();
            (await SampleClient.WithTokenAsync(client, HttpMethod.Post, "/logout", token)).Dispose();
            (await SampleClient.WithTokenAsync(client, HttpMethod.Get, "/member", token)).Dispose();

            // Scenario B, plus an unknown cookie.
            await SampleClient.CreateUserAsync(client, "jane.doe@email.com", "pa55word");
            var cookie = await SampleClient.CookieLoginAsync(client, "jane.doe@email.com", "pa55word");
            var admin = await SampleClient.CookieLoginAsync(client, "admin", "admin");
            secrets.Add(cookie);
            secrets.Add(admin);
            (await SampleClient.WithCookieAsync(client, HttpMethod.Post, "/user/assign", cookie, new { userId = 3, groupIds = new[] { 2 } })).Dispose();
            (await SampleClient.WithCookieAsync(client, HttpMethod.Post, "/user/assign", admin, new { userId = 3, groupIds = new[] { 2 } })).Dispose();
            (await SampleClient.WithCookieAsync(client, HttpMethod.Get, "/sessions", admin)).Dispose();
            (await SampleClient.WithCookieAsync(client, HttpMethod.Post, "/user/logout", cookie)).Dispose();
            using var rejected = await SampleClient.WithCookieAsync(client, HttpMethod.Get, "/user/me", cookie);
            Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        }

        // Every session id also travels inside its token: look for the ids' secret halves and whole tokens/cookies.
        var needles = secrets.Concat(secrets.Where(s => s.Contains('.', StringComparison.Ordinal) && s.Length == 52).Select(s => s.Split('.')[1])).ToList();
        needles.Add(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(secrets[0].Split('.')[1]))).Split("\"sid\":\"")[1].Split('"')[0].Split('.')[1]);
        Assert.NotEmpty(logs.Entries);
        foreach (var needle in needles)
        {
            Assert.DoesNotContain(logs.Entries, entry => entry.Contains(needle, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(logs.Entries, entry => entry.Contains("pa55word", StringComparison.Ordinal));
    }

    private static string Pad(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }
}
