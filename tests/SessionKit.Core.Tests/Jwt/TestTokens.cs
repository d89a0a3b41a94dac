using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Jwt;

/// <summary>Signs arbitrary header and payload JSON with a test key, byte for byte as written (for tokens the issuer would never make).</summary>
internal static class TestTokens
{
    public static string SignHs256(SessionOverJwtSigningKey key, string payloadJson)
    {
        var header = $$"""{"alg":"HS256","kid":"{{key.KeyId}}","typ":"{{SessionOverJwtDefaults.TokenType}}"}""";
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        var signature = HMACSHA256.HashData(((SymmetricSecurityKey)key.Key).Key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>A payload with every claim a token of <see cref="TestKeys"/>' scheme needs; <paramref name="lifetime"/> holds exp, nbf and iat.</summary>
    public static string Payload(string sid, string sub, DateTimeOffset now, string? lifetime = null)
    {
        var seconds = now.ToUnixTimeSeconds();
        lifetime ??= $"\"exp\":{seconds + 600},\"nbf\":{seconds},\"iat\":{seconds}";
        return $$"""{"iss":"{{TestKeys.Issuer}}","aud":"{{TestKeys.Audience}}","sub":"{{sub}}","sid":"{{sid}}",{{lifetime}}}""";
    }
}
