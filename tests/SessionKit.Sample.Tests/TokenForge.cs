using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SessionKit.Sample.Tests;

/// <summary>
/// Builds compact JWS tokens by hand — any header, any payload (even duplicate members), any key — the way an
/// attacker would, independently of the library under test.
/// </summary>
public sealed class TokenForge(byte[] hmacKey, string keyId, string issuer, string audience, string sessionId, DateTimeOffset now)
{
    public byte[] HmacKey => hmacKey;

    public string KeyId => keyId;

    public string Issuer => issuer;

    public string Audience => audience;

    /// <summary>The id of a live session of <c>root</c>.</summary>
    public string SessionId => sessionId;

    public long Now { get; } = now.ToUnixTimeSeconds();

    /// <summary>A header exactly like the app's own tokens'.</summary>
    public string GoodHeader => Json(HeaderClaims());

    /// <summary>A payload exactly like the app's own tokens'.</summary>
    public string GoodPayload => Json(PayloadClaims());

    public Dictionary<string, object?> HeaderClaims() => new()
    {
        ["alg"] = "HS256",
        ["kid"] = keyId,
        ["typ"] = "sessionkit+jwt",
    };

    public Dictionary<string, object?> PayloadClaims() => new()
    {
        ["iss"] = issuer,
        ["aud"] = audience,
        ["iat"] = Now,
        ["nbf"] = Now,
        ["exp"] = Now + 600,
        ["sub"] = "root",
        ["sid"] = sessionId,
    };

    /// <summary>A token with a changed header, signed with the app's HMAC key.</summary>
    public string WithHeader(Action<Dictionary<string, object?>> change)
    {
        var header = HeaderClaims();
        change(header);
        return Hs256(Json(header), GoodPayload);
    }

    /// <summary>A token with changed claims, signed with the app's HMAC key.</summary>
    public string WithPayload(Action<Dictionary<string, object?>> change)
    {
        var payload = PayloadClaims();
        change(payload);
        return Hs256(GoodHeader, Json(payload));
    }

    public string Hs256(string header, string payload, byte[]? key = null)
    {
        var input = SigningInput(header, payload);
        return input + "." + B64(HMACSHA256.HashData(key ?? hmacKey, Encoding.ASCII.GetBytes(input)));
    }

    public static string Rs256(string header, string payload, RSA rsa)
    {
        var input = SigningInput(header, payload);
        return input + "." + B64(rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public static string Es256(string header, string payload, ECDsa ec)
    {
        var input = SigningInput(header, payload);
        return input + "." + B64(ec.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    public static string Unsigned(string header, string payload) => SigningInput(header, payload) + ".";

    public static string SigningInput(string header, string payload) => B64(header) + "." + B64(payload);

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    public static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public static string Json(Dictionary<string, object?> claims) => JsonSerializer.Serialize(claims);
}
