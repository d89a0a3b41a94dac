using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SessionKit.Jwt;
using SessionKit.Testing;

namespace SessionKit.Core.Tests.Jwt;

/// <summary>The shared scheme suite (401, 403, 503 fail-closed, bad input) bound to the session-over-JWT scheme.</summary>
public sealed class SessionOverJwtSchemeContractTests : SessionSchemeContractTests
{
    protected override string SchemeName => SessionOverJwtDefaults.AuthenticationScheme;

    protected override void AddScheme(AuthenticationBuilder authentication) => authentication.AddSessionOverJwt(TestKeys.With(TestKeys.Hs256()));

    protected override async Task<string> IssueCredentialAsync(HttpContext context, ClaimsPrincipal user)
    {
        var tokens = context.RequestServices.GetRequiredService<SessionOverJwtTokenService>();
        var token = await tokens.IssueAsync(
            user.FindFirst(SessionKitClaimTypes.Subject)!.Value,
            permissions: user.FindAll(SessionKitClaimTypes.Permission).Select(c => c.Value),
            cancellationToken: context.RequestAborted);
        return token.AccessToken;
    }

    protected override void AddCredential(HttpRequestMessage request, string credential)
        => request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + credential);

    protected override IEnumerable<string> BadCredentials(string valid)
    {
        var parts = valid.Split('.');
        var unsigned = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"sessionkit+jwt"}""")).TrimEnd('=') + "." + parts[1] + ".";
        return
        [
            "not-a-jwt",
            valid[..^4] + (valid[^4] == 'A' ? "BBBB" : "AAAA"),
            valid + ".",
            valid + "." + parts[2] + "." + parts[2],
            parts[0] + "." + parts[1],
            unsigned,
            parts[0] + ".e30." + parts[2],
            new string('A', 9000),
            valid.Replace('.', ' '),
            "é" + valid,
        ];
    }

    /// <summary>RFC 6750: a 503 carries no bearer challenge, so clients do not drop a token that is still good.</summary>
    [Fact]
    public async Task An_outage_answer_has_no_bearer_challenge()
    {
        var token = await SignInAsync("alice");
        Store.Outage = StoreOutage.Throws;

        using var response = await GetAsync("/protected", token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }
}
