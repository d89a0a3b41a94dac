using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace SessionKit.Jwt;

/// <summary>Checks <see cref="SessionOverJwtOptions"/> at start-up against RFC 8725, with messages that say how to fix them.</summary>
internal sealed class SessionOverJwtOptionsValidator : IValidateOptions<SessionOverJwtOptions>
{
    private const int MinHmacKeyBits = 256;
    private const int MinRsaKeyBits = 2048;

    private static readonly HashSet<string> SupportedAlgorithms = new(StringComparer.Ordinal)
    {
        SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512,
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    };

    public ValidateOptionsResult Validate(string? name, SessionOverJwtOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var scheme = $"Session JWT scheme '{name}'";
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add($"{scheme}: Issuer is required; set SessionOverJwtOptions.Issuer to this service's URL, for example \"https://auth.example.com\".");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add($"{scheme}: Audience is required; set SessionOverJwtOptions.Audience to the API the tokens are for, for example \"https://api.example.com\".");
        }

        foreach (var algorithm in options.AllowedAlgorithms)
        {
            if (!SupportedAlgorithms.Contains(algorithm))
            {
                failures.Add($"{scheme}: algorithm '{algorithm}' cannot be allowed; use HS256, RS256 or ES256 (or another HS/RS/PS/ES variant). 'none' is never accepted.");
            }
        }

        if (options.SigningKeys.Count == 0)
        {
            failures.Add($"{scheme}: no signing key; add one, e.g. o.SigningKeys.Add(new SessionOverJwtSigningKey(new SymmetricSecurityKey(secret32Bytes) {{ KeyId = \"2026-01\" }}, SecurityAlgorithms.HmacSha256)).");
        }

        var keyIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in options.SigningKeys)
        {
            ValidateKey(scheme, entry, options, keyIds, failures);
        }

        if (options.ClockSkew < TimeSpan.Zero)
        {
            failures.Add($"{scheme}: ClockSkew must not be negative (was {options.ClockSkew}).");
        }
        else if (options.ClockSkew > SessionOverJwtDefaults.ClockSkew && !options.AllowLargeClockSkew)
        {
            failures.Add($"{scheme}: ClockSkew {options.ClockSkew} exceeds 30 seconds; synchronize clocks (NTP), or set AllowLargeClockSkew = true if you must.");
        }

        if (options.MaxTokenLength < 256)
        {
            failures.Add($"{scheme}: MaxTokenLength must be at least 256 characters (was {options.MaxTokenLength}); the default is 8192.");
        }

        if (options.TokenLifetime is { } lifetime && lifetime <= TimeSpan.Zero)
        {
            failures.Add($"{scheme}: TokenLifetime must be positive (was {lifetime}), or null to end tokens with their session's absolute lifetime.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateKey(string scheme, SessionOverJwtSigningKey entry, SessionOverJwtOptions options, HashSet<string> keyIds, List<string> failures)
    {
        var key = entry.Key;
        var kid = entry.KeyId;
        if (string.IsNullOrEmpty(kid))
        {
            failures.Add($"{scheme}: every signing key needs a KeyId (the tokens' kid, used for rotation); set key.KeyId, e.g. \"2026-01\".");
        }
        else if (!keyIds.Add(kid))
        {
            failures.Add($"{scheme}: two signing keys have KeyId '{kid}'; give each key its own id.");
        }

        if (!options.AllowedAlgorithms.Contains(entry.Algorithm))
        {
            failures.Add($"{scheme}: key '{kid}' uses {entry.Algorithm}, which AllowedAlgorithms does not list; add it or use an allowed algorithm.");
        }

        var family = entry.Algorithm.Length >= 2 ? entry.Algorithm[..2] : entry.Algorithm;
        switch (family)
        {
            case "HS" when key is not SymmetricSecurityKey:
                failures.Add($"{scheme}: key '{kid}' is for {entry.Algorithm} and must be a SymmetricSecurityKey (an RSA or EC key must never be used as an HMAC secret).");
                break;
            case "HS" when key.KeySize < MinHmacKeyBits:
                failures.Add($"{scheme}: HMAC key '{kid}' has {key.KeySize} bits; use at least {MinHmacKeyBits} bits (32 random bytes, e.g. RandomNumberGenerator.GetBytes(32)).");
                break;
            case "RS" or "PS" when key is not (RsaSecurityKey or X509SecurityKey or JsonWebKey { Kty: "RSA" }):
                failures.Add($"{scheme}: key '{kid}' is for {entry.Algorithm} and must be an RSA key (RsaSecurityKey, X509SecurityKey or an RSA JsonWebKey).");
                break;
            case "RS" or "PS" when key.KeySize < MinRsaKeyBits:
                failures.Add($"{scheme}: RSA key '{kid}' has {key.KeySize} bits; use at least {MinRsaKeyBits}.");
                break;
            case "ES" when key is not (ECDsaSecurityKey or JsonWebKey { Kty: "EC" }):
                failures.Add($"{scheme}: key '{kid}' is for {entry.Algorithm} and must be an EC key (ECDsaSecurityKey or an EC JsonWebKey).");
                break;
            case "ES" when key is ECDsaSecurityKey ec && ec.ECDsa.KeySize != ExpectedCurveBits(entry.Algorithm):
                failures.Add($"{scheme}: EC key '{kid}' is on a {ec.ECDsa.KeySize}-bit curve but {entry.Algorithm} needs P-{ExpectedCurveBits(entry.Algorithm)}; use ECDsa.Create(ECCurve.NamedCurves.nistP256) for ES256.");
                break;
        }
    }

    private static int ExpectedCurveBits(string algorithm) => algorithm switch
    {
        SecurityAlgorithms.EcdsaSha384 => 384,
        SecurityAlgorithms.EcdsaSha512 => 521,
        _ => 256,
    };
}
