using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SessionKit.Jwt;

namespace SessionKit.Sample.Tests;

/// <summary>One running sample app for the whole battery, a live session of <c>root</c>, and a forge that knows the app's key.</summary>
public sealed class BadTokenFixture : IAsyncLifetime
{
    public SampleAppFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public TokenForge Forge { get; private set; } = null!;

    /// <summary>A token the app itself issued for <c>root</c>.</summary>
    public string ValidToken { get; private set; } = null!;

    public SessionOverJwtTokenService Tokens => Factory.Services.GetRequiredService<SessionOverJwtTokenService>();

    public async ValueTask InitializeAsync()
    {
        Client = Factory.CreateClient();
        ValidToken = (await Tokens.IssueAsync("root", permissions: ["sessions:admin"])).AccessToken;
        var options = Factory.Services.GetRequiredService<IOptionsMonitor<SessionOverJwtOptions>>().Get(SessionOverJwtDefaults.AuthenticationScheme);
        var signing = options.SigningKeys[^1];
        Forge = new TokenForge(
            ((SymmetricSecurityKey)signing.Key).Key,
            signing.KeyId!,
            options.Issuer!,
            options.Audience!,
            SessionIdOf(ValidToken),
            DateTimeOffset.UtcNow);
    }

    /// <summary>The id of a new live session of <paramref name="subject"/>.</summary>
    public async Task<string> NewSessionIdAsync(string subject = "root")
        => SessionIdOf((await Tokens.IssueAsync(subject)).AccessToken);

    /// <summary>The id of a session that existed and was logged out.</summary>
    public async Task<string> RevokedSessionIdAsync()
    {
        var token = (await Tokens.IssueAsync("root")).AccessToken;
        Assert.True(await Tokens.LogoutAsync(token));
        return SessionIdOf(token);
    }

    /// <summary>A well-formed session id that was never issued (random secret, right partition).</summary>
    public string UnknownSessionId()
        => Forge.SessionId[..9] + Base64UrlRandom();

    public static string SessionIdOf(string token) => new JsonWebToken(token).GetPayloadValue<string>("sid");

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        return Factory.DisposeAsync();
    }

    private static string Base64UrlRandom() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
