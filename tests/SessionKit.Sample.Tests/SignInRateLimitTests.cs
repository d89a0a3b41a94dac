using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SessionKit.Sample.Tests;

/// <summary>Sign-in attempts are limited per client address and window: 429 problem details with Retry-After.</summary>
public sealed class SignInRateLimitTests
{
    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_get_429_problem_details_with_Retry_After_on_both_sign_in_endpoints()
    {
        await using var app = Factory(permitLimit: "3");
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/login", "/user/login", "/login" })
        {
            using var attempt = await client.PostAsJsonAsync(path, new { username = "root", password = "wrong" });
            statuses.Add(attempt.StatusCode);
        }

        using var refused = await client.PostAsJsonAsync("/user/login", new { username = "admin", password = "admin" });
        using var refusedToo = await client.PostAsJsonAsync("/login", new { username = "root", password = "password" });

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        foreach (var response in new[] { refused, refusedToo })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.InRange(response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        }

        Assert.False(refused.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Other_endpoints_are_not_limited()
    {
        await using var app = Factory(permitLimit: "1");
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/member");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
    }

    [Fact]
    public async Task A_permit_limit_of_zero_turns_the_limit_off()
    {
        await using var app = Factory(permitLimit: "0");
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++)
        {
            using var response = await client.PostAsJsonAsync("/login", new { username = "root", password = "wrong" });
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
    }

    private static WebApplicationFactory<Program> Factory(string permitLimit)
        => new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseTestUsersDatabase();
            builder.UseSetting("RateLimiting:SignIn:PermitLimit", permitLimit);
        });
}
