using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SessionKit.Cookies;
using static SessionKit.Sample.Tests.TokenForge;

namespace SessionKit.Sample.Tests;

/// <summary>
/// The bad-token battery. Each case is a token an attacker or a broken client could send; <c>ReachesStore</c> is
/// true only for the few whose signature and claims are genuinely valid, so that the session lookup is what refuses them.
/// </summary>
public static class BadTokens
{
    public sealed record Case(string Name, bool ReachesStore, Func<BadTokenFixture, Task<string>> Make)
    {
        public override string ToString() => Name;
    }

    private static readonly RSA AttackerRsa = RSA.Create(2048);
    private static readonly ECDsa AttackerEc = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly byte[] AttackerHmac = RandomNumberGenerator.GetBytes(32);

    public static IReadOnlyList<Case> All { get; } =
    [
        // --- algorithm ---
        Before("alg none with empty signature", f => Unsigned(Header(f, h => h["alg"] = "none"), f.Forge.GoodPayload)),
        Before("alg NONE with empty signature", f => Unsigned(Header(f, h => h["alg"] = "NONE"), f.Forge.GoodPayload)),
        Before("alg None with an HMAC signature", f => f.Forge.WithHeader(h => h["alg"] = "None")),
        Before("alg none without kid or typ", f => Unsigned("""{"alg":"none"}""", f.Forge.GoodPayload)),
        Before("alg HS384 with the HS256 key", f => f.Forge.WithHeader(h => h["alg"] = "HS384")),
        Before("alg HS512 with the HS256 key", f => f.Forge.WithHeader(h => h["alg"] = "HS512")),
        Before("alg hs256 in lower case", f => f.Forge.WithHeader(h => h["alg"] = "hs256")),
        Before("alg missing", f => f.Forge.WithHeader(h => h.Remove("alg"))),
        Before("alg empty", f => f.Forge.WithHeader(h => h["alg"] = "")),
        Before("alg a number", f => f.Forge.WithHeader(h => h["alg"] = 256)),
        Before("alg RS256 on the HMAC key id", f => f.Forge.WithHeader(h => h["alg"] = "RS256")),
        Before("alg PS256 (not allowed)", f => f.Forge.WithHeader(h => h["alg"] = "PS256")),
        Before("HS256 signed with the RS256 public key (PEM)", f => Confusion(f, Encoding.ASCII.GetBytes(f.Factory.RsaKey.ExportSubjectPublicKeyInfoPem()))),
        Before("HS256 signed with the RS256 public key (DER)", f => Confusion(f, f.Factory.RsaKey.ExportSubjectPublicKeyInfo())),
        Before("HS256 signed with the RS256 modulus", f => Confusion(f, f.Factory.RsaKey.ExportParameters(false).Modulus!)),
        Before("HS256 signed with the ES256 public key (DER)", f => Confusion(f, f.Factory.EcKey.ExportSubjectPublicKeyInfo(), SampleAppFactory.EcKeyId)),
        Before("HS256 on the RS256 key id signed with the app's HMAC key", f => f.Forge.WithHeader(h => h["kid"] = SampleAppFactory.RsaKeyId)),
        Before("RS256 signed with an unknown RSA key", f => Rs256(Header(f, h => { h["alg"] = "RS256"; h["kid"] = SampleAppFactory.RsaKeyId; }), f.Forge.GoodPayload, AttackerRsa)),
        Before("ES256 signed with an unknown EC key", f => Es256(Header(f, h => { h["alg"] = "ES256"; h["kid"] = SampleAppFactory.EcKeyId; }), f.Forge.GoodPayload, AttackerEc)),
        Before("ES256 signature on the RS256 key id", f => Es256(Header(f, h => { h["alg"] = "ES256"; h["kid"] = SampleAppFactory.RsaKeyId; }), f.Forge.GoodPayload, AttackerEc)),
        Before("HS256 signed with another 256-bit key", f => f.Forge.Hs256(f.Forge.GoodHeader, f.Forge.GoodPayload, AttackerHmac)),

        // --- kid and key headers ---
        Before("kid missing", f => f.Forge.WithHeader(h => h.Remove("kid"))),
        Before("kid unknown", f => f.Forge.WithHeader(h => h["kid"] = "sample-2")),
        Before("kid with a path", f => f.Forge.WithHeader(h => h["kid"] = "../../../../dev/null")),
        Before("kid with SQL", f => f.Forge.WithHeader(h => h["kid"] = "x' UNION SELECT 'secret' --")),
        Before("kid with a NUL character", f => f.Forge.WithHeader(h => h["kid"] = f.Forge.KeyId + "\0")),
        Before("kid a number", f => f.Forge.WithHeader(h => h["kid"] = 1)),
        Before("kid an object", f => f.Forge.WithHeader(h => h["kid"] = new { id = "sample-1" })),
        Before("jku pointing elsewhere, signed with the attacker's key", f => f.Forge.Hs256(Header(f, h => { h["jku"] = "https://attacker.example/jwks.json"; h["kid"] = "attacker"; }), f.Forge.GoodPayload, AttackerHmac)),
        Before("x5u pointing elsewhere, signed with the attacker's key", f => Rs256(Header(f, h => { h["alg"] = "RS256"; h["x5u"] = "https://attacker.example/cert.pem"; h["kid"] = SampleAppFactory.RsaKeyId; }), f.Forge.GoodPayload, AttackerRsa)),
        Before("embedded jwk of the attacker's key", f => Rs256(Header(f, h => { h["alg"] = "RS256"; h["kid"] = SampleAppFactory.RsaKeyId; h["jwk"] = AttackerJwk(); }), f.Forge.GoodPayload, AttackerRsa)),
        Before("crit header naming an unknown extension", f => f.Forge.WithHeader(h => h["crit"] = new[] { "exp" })),

        // --- typ ---
        Before("typ missing", f => f.Forge.WithHeader(h => h.Remove("typ"))),
        Before("typ JWT (another kind of token)", f => f.Forge.WithHeader(h => h["typ"] = "JWT")),
        Before("typ at+jwt (an OAuth access token)", f => f.Forge.WithHeader(h => h["typ"] = "at+jwt")),
        Before("typ a number", f => f.Forge.WithHeader(h => h["typ"] = 1)),

        // --- issuer and audience ---
        Before("iss of another issuer", f => f.Forge.WithPayload(p => p["iss"] = "https://attacker.example")),
        Before("iss missing", f => f.Forge.WithPayload(p => p.Remove("iss"))),
        Before("iss in other letter case", f => f.Forge.WithPayload(p => p["iss"] = f.Forge.Issuer.ToUpperInvariant())),
        Before("aud of another API", f => f.Forge.WithPayload(p => p["aud"] = "another-api")),
        Before("aud missing", f => f.Forge.WithPayload(p => p.Remove("aud"))),
        Before("aud list without this API", f => f.Forge.WithPayload(p => p["aud"] = new[] { "api-1", "api-2" })),

        // --- lifetime ---
        Before("exp an hour ago", f => f.Forge.WithPayload(p => p["exp"] = f.Forge.Now - 3600)),
        Before("exp two minutes ago (beyond the 30 s skew)", f => f.Forge.WithPayload(p => p["exp"] = f.Forge.Now - 120)),
        Before("exp missing", f => f.Forge.WithPayload(p => p.Remove("exp"))),
        Before("exp a string", f => f.Forge.WithPayload(p => p["exp"] = "never")),
        Before("exp a number written as a string", f => f.Forge.WithPayload(p => p["exp"] = (f.Forge.Now + 600).ToString(CultureInfo.InvariantCulture))),
        Before("exp a far-future number written as a string", f => f.Forge.WithPayload(p => p["exp"] = "1796000000")),
        Before("nbf a number written as a string", f => f.Forge.WithPayload(p => p["nbf"] = f.Forge.Now.ToString(CultureInfo.InvariantCulture))),
        Before("iat a number written as a string", f => f.Forge.WithPayload(p => p["iat"] = f.Forge.Now.ToString(CultureInfo.InvariantCulture))),
        Before("exp an array", f => f.Forge.WithPayload(p => p["exp"] = new[] { f.Forge.Now + 600 })),
        Before("exp null", f => f.Forge.WithPayload(p => p["exp"] = null)),
        Before("exp zero", f => f.Forge.WithPayload(p => p["exp"] = 0)),
        Before("nbf an hour in the future", f => f.Forge.WithPayload(p => p["nbf"] = f.Forge.Now + 3600)),

        // --- sid and sub ---
        Before("sid missing", f => f.Forge.WithPayload(p => p.Remove("sid"))),
        Before("sid a number", f => f.Forge.WithPayload(p => p["sid"] = 12345)),
        Before("sid an array", f => f.Forge.WithPayload(p => p["sid"] = new[] { f.Forge.SessionId })),
        Before("sid an object", f => f.Forge.WithPayload(p => p["sid"] = new { id = f.Forge.SessionId })),
        Before("sid null", f => f.Forge.WithPayload(p => p["sid"] = null)),
        Before("sid empty", f => f.Forge.WithPayload(p => p["sid"] = "")),
        Before("sid not shaped like a session id", f => f.Forge.WithPayload(p => p["sid"] = "1")),
        Before("sid with SQL", f => f.Forge.WithPayload(p => p["sid"] = "' OR '1'='1")),
        Before("sid one character too long", f => f.Forge.WithPayload(p => p["sid"] = f.Forge.SessionId + "A")),
        Before("sid is the store hash, not the id", f => f.Forge.WithPayload(p => p["sid"] = f.Forge.SessionId[..9] + new string('A', 42) + "=")),
        Before("sub missing", f => f.Forge.WithPayload(p => p.Remove("sub"))),
        Before("sub a number", f => f.Forge.WithPayload(p => p["sub"] = 0)),
        Before("duplicate sid claims", f => f.Forge.Hs256(f.Forge.GoodHeader, f.Forge.GoodPayload.TrimEnd('}') + ",\"sid\":\"" + f.UnknownSessionId() + "\"}")),
        Before("duplicate alg headers (none last)", f => f.Forge.Hs256(f.Forge.GoodHeader.TrimEnd('}') + ",\"alg\":\"none\"}", f.Forge.GoodPayload)),
        Before("duplicate alg headers (HS256 last)", f => f.Forge.Hs256("{\"alg\":\"none\"," + f.Forge.GoodHeader[1..], f.Forge.GoodPayload)),
        Before("duplicate sub claims", f => f.Forge.Hs256(f.Forge.GoodHeader, f.Forge.GoodPayload.TrimEnd('}') + ",\"sub\":\"admin\"}")),
        Before("sid claim name written with an escape", f => f.Forge.Hs256(f.Forge.GoodHeader, f.Forge.GoodPayload.Replace("\"sid\"", "\"s\\u0069d\"", StringComparison.Ordinal))),
        Store("sid well-formed but never issued", f => Task.FromResult(f.Forge.WithPayload(p => p["sid"] = f.UnknownSessionId()))),
        Store("sid of a logged-out session", async f => { var sid = await f.RevokedSessionIdAsync(); return f.Forge.WithPayload(p => p["sid"] = sid); }),
        Store("sid of another user's session", async f => { var sid = await f.NewSessionIdAsync("someone-else"); return f.Forge.WithPayload(p => p["sid"] = sid); }),
        Store("sid of the same user's cookie session (another scheme)", async f => { var sid = await CookieSessionIdAsync(f, "root"); return f.Forge.WithPayload(p => p["sid"] = sid); }),
        Store("sid of a session created outside any scheme", async f => { var sid = await CookieSessionIdAsync(f, "root", scheme: null); return f.Forge.WithPayload(p => p["sid"] = sid); }),

        // --- tampering and framing ---
        Before("header tampered (kid changed after signing)", f => Tamper(f.ValidToken, 0, Header(f, h => h["kid"] = "sample-1x"))),
        Before("payload tampered (sub changed after signing)", f => Tamper(f.ValidToken, 1, f.Forge.GoodPayload.Replace("\"root\"", "\"admin\"", StringComparison.Ordinal))),
        Before("signature tampered (first character)", f => FlipSignature(f.ValidToken)),
        Before("signature of another token", f => Segments(f.ValidToken)[0] + "." + Segments(f.ValidToken)[1] + "." + Segments(f.Forge.WithPayload(p => p["sub"] = "x"))[2]),
        Before("signature empty", f => Segments(f.ValidToken)[0] + "." + Segments(f.ValidToken)[1] + "."),
        Before("truncated by ten characters", f => f.ValidToken[..^10]),
        Before("truncated to two segments", f => Segments(f.ValidToken)[0] + "." + Segments(f.ValidToken)[1]),
        Before("one segment", f => Segments(f.ValidToken)[1]),
        Before("extra fourth segment", f => f.ValidToken + ".AAAA"),
        Before("five segments (JWE shape)", f => f.ValidToken + ".AAAA.BBBB"),
        Before("a real JWE (dir, A128CBC-HS256)", f => RealJwe(f)),
        Before("JWS JSON serialization", f => JsonSerialization(f.ValidToken)),
        Before("standard base64 characters (+ and /)", f => f.ValidToken.Replace('-', '+').Replace('_', '/') + "+/"),
        Before("base64 padding", f => f.ValidToken + "=="),
        Before("space inside the token", f => f.ValidToken.Insert(20, " ")),
        Before("header not JSON", f => f.Forge.Hs256("hello", f.Forge.GoodPayload)),
        Before("payload not JSON", f => f.Forge.Hs256(f.Forge.GoodHeader, "hello")),
        Before("header a JSON array", f => f.Forge.Hs256("[]", f.Forge.GoodPayload)),
        Before("payload a JSON array", f => f.Forge.Hs256(f.Forge.GoodHeader, "[]")),
        Before("empty segments", f => ".."),
        Before("empty token", f => ""),
        Before("the word null", f => "null"),
        Before("non-ASCII characters", f => "é.ü.ß"),
        Before("64 KB token", f => f.ValidToken + new string('A', 64 * 1024)),
        Before("64 KB payload, correctly signed", f => f.Forge.WithPayload(p => p["pad"] = new string('x', 64 * 1024))),
        Before("signed token over the 8 KB limit", f => f.Forge.WithPayload(p => p["pad"] = new string('x', 8 * 1024))),
    ];

    // A live session of another scheme (or none), made the way the cookie scheme makes them.
    private static async Task<string> CookieSessionIdAsync(BadTokenFixture f, string subject, string? scheme = SessionCookieDefaults.AuthenticationScheme)
        => (await f.Factory.Services.GetRequiredService<SessionManager>().CreateAsync(new SessionCreateRequest { Subject = subject, Scheme = scheme })).Id;

    private static Case Before(string name, Func<BadTokenFixture, string> make) => new(name, false, f => Task.FromResult(make(f)));

    private static Case Store(string name, Func<BadTokenFixture, Task<string>> make) => new(name, true, make);

    private static string Header(BadTokenFixture f, Action<Dictionary<string, object?>> change)
    {
        var header = f.Forge.HeaderClaims();
        change(header);
        return Json(header);
    }

    private static string Confusion(BadTokenFixture f, byte[] publicKeyAsSecret, string kid = SampleAppFactory.RsaKeyId)
        => f.Forge.Hs256(Header(f, h => h["kid"] = kid), f.Forge.GoodPayload, publicKeyAsSecret);

    private static string[] Segments(string token) => token.Split('.');

    private static string Tamper(string token, int segment, string json)
    {
        var parts = Segments(token);
        parts[segment] = B64(json);
        return string.Join('.', parts);
    }

    private static string FlipSignature(string token)
    {
        var parts = Segments(token);
        var first = parts[2][0];
        parts[2] = (first == 'A' ? 'B' : 'A') + parts[2][1..];
        return string.Join('.', parts);
    }

    private static string JsonSerialization(string token)
    {
        var parts = Segments(token);
        return $$"""{"payload":"{{parts[1]}}","protected":"{{parts[0]}}","signature":"{{parts[2]}}"}""";
    }

    private static string RealJwe(BadTokenFixture f)
    {
        var encrypting = new EncryptingCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), "dir", SecurityAlgorithms.Aes128CbcHmacSha256);
        return new JsonWebTokenHandler().CreateToken(f.Forge.GoodPayload, encrypting);
    }

    private static Dictionary<string, object?> AttackerJwk()
    {
        var p = AttackerRsa.ExportParameters(false);
        return new() { ["kty"] = "RSA", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!), ["kid"] = SampleAppFactory.RsaKeyId };
    }
}
