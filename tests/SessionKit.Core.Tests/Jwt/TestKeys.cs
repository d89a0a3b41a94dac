using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Jwt;

internal static class TestKeys
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "api.test";

    public static SessionOverJwtSigningKey Hs256(string kid = "hs-1")
        => new(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = kid }, SecurityAlgorithms.HmacSha256);

    public static SessionOverJwtSigningKey Rs256(string kid = "rs-1")
        => new(new RsaSecurityKey(RSA.Create(2048)) { KeyId = kid }, SecurityAlgorithms.RsaSha256);

    public static SessionOverJwtSigningKey Es256(string kid = "es-1")
        => new(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256);

    public static Action<SessionOverJwtOptions> With(params SessionOverJwtSigningKey[] keys) => o =>
    {
        o.Issuer = Issuer;
        o.Audience = Audience;
        foreach (var key in keys)
        {
            o.SigningKeys.Add(key);
        }
    };
}
