using System.Net;
using SessionKit.Testing;

namespace SessionKit.Sample.Tests;

/// <summary>The store is down: requests are never authenticated, and the answer is 503 (keep your token), not 401.</summary>
public sealed class StoreOutageTests(SampleAppFactory app) : IClassFixture<SampleAppFactory>
{
    [Theory]
    [InlineData(StoreOutage.Throws)]
    [InlineData(StoreOutage.Hangs)]
    public async Task A_valid_token_gets_503_while_the_store_is_down_and_works_again_when_it_is_back(StoreOutage outage)
    {
        using var client = app.CreateClient();
        var token = await client.LoginForTokenAsync();
        try
        {
            app.Store.Outage = outage;
            using var down = await client.MemberAsync(token);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(down.Headers.RetryAfter);
            Assert.Empty(down.Headers.WwwAuthenticate);
            Assert.DoesNotContain("Hello World!", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            app.Store.Outage = StoreOutage.None;
        }

        using var back = await client.MemberAsync(token);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async Task Login_while_the_store_is_down_is_503_problem_details()
    {
        using var client = app.CreateClient();
        try
        {
            app.Store.Outage = StoreOutage.Throws;
            using var response = await client.LoginAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            app.Store.Outage = StoreOutage.None;
        }
    }

    [Fact]
    public async Task A_bad_token_is_still_401_while_the_store_is_down_because_it_never_reaches_the_store()
    {
        using var client = app.CreateClient();
        try
        {
            app.Store.Outage = StoreOutage.Throws;
            var before = app.Store.Calls;
            using var response = await client.MemberAsync("eyJhbGciOiJub25lIn0.eyJzaWQiOiJ4In0.");

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(before, app.Store.Calls);
        }
        finally
        {
            app.Store.Outage = StoreOutage.None;
        }
    }
}
