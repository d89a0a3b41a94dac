using System.Net;
using System.Net.Http.Headers;

namespace SessionKit.Sample.Tests;

public sealed class BadTokenTests(BadTokenFixture fixture) : IClassFixture<BadTokenFixture>
{
    public static TheoryData<string> Cases => new(BadTokens.All.Select(c => c.Name));

    [Fact]
    public void The_battery_has_at_least_sixty_distinct_cases()
    {
        Assert.True(BadTokens.All.Count >= 60, $"only {BadTokens.All.Count} cases");
        Assert.Equal(BadTokens.All.Count, BadTokens.All.Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public async Task The_forge_makes_tokens_the_app_accepts_so_that_each_bad_case_differs_by_one_defect()
    {
        var response = await GetMemberAsync(fixture.Forge.Hs256(fixture.Forge.GoodHeader, fixture.Forge.GoodPayload));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello World!", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_token_is_refused_with_401_invalid_token(string badToken)
    {
        var testCase = BadTokens.All.Single(c => c.Name == badToken);
        var token = await testCase.Make(fixture);
        var callsBefore = fixture.Factory.Store.Calls;

        var response = await GetMemberAsync(token);

        var storeCalls = fixture.Factory.Store.Calls - callsBefore;
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":401", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        if (testCase.ReachesStore)
        {
            Assert.InRange(storeCalls, 1, 2);
        }
        else
        {
            Assert.Equal(0, storeCalls);
        }
    }

    private async Task<HttpResponseMessage> GetMemberAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/member");
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token));
        return await fixture.Client.SendAsync(request);
    }
}
