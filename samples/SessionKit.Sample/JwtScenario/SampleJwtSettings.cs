using Microsoft.IdentityModel.Tokens;
using SessionKit.Jwt;

namespace SessionKit.Sample.JwtScenario;

/// <summary>
/// The sample's token settings from configuration: <c>Jwt:SigningKey</c> (base64, at least 32 bytes, HS256),
/// <c>Jwt:KeyId</c>, <c>Jwt:Issuer</c>, <c>Jwt:Audience</c>.
/// </summary>
internal sealed class SampleJwtSettings
{
    /// <summary>The key in appsettings.Development.json. Public knowledge, so refused outside Development.</summary>
    public const string DevelopmentSigningKey = "8qy1ZS5uSWLJolcFwfBbCXuiCAgOnZqJsi9Kq/SxGiY=";

    private SampleJwtSettings(byte[] signingKey, string keyId, string issuer, string audience)
    {
        SigningKey = signingKey;
        KeyId = keyId;
        Issuer = issuer;
        Audience = audience;
    }

    public byte[] SigningKey { get; }

    public string KeyId { get; }

    public string Issuer { get; }

    public string Audience { get; }

    /// <summary>Reads and checks the settings; throws at start-up with a message that says how to fix them.</summary>
    public static SampleJwtSettings Load(IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection("Jwt");
        var key = section["SigningKey"];
        if (!environment.IsDevelopment() && (string.IsNullOrWhiteSpace(key) || key == DevelopmentSigningKey))
        {
            throw new InvalidOperationException(
                "Jwt:SigningKey must be set to a secret outside Development (the development key is public). " +
                "Generate one with `openssl rand -base64 32` and pass it as the environment variable Jwt__SigningKey.");
        }

        if (string.IsNullOrWhiteSpace(key))
        {
            throw new InvalidOperationException("Jwt:SigningKey is missing; appsettings.Development.json provides one for Development.");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(key);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Jwt:SigningKey must be base64 (e.g. the output of `openssl rand -base64 32`).");
        }

        if (bytes.Length < 32)
        {
            throw new InvalidOperationException($"Jwt:SigningKey has {bytes.Length} bytes; HS256 needs at least 32 random bytes (`openssl rand -base64 32`).");
        }

        return new SampleJwtSettings(
            bytes,
            section["KeyId"] ?? "sample-1",
            section["Issuer"] ?? "https://sessionkit.sample",
            section["Audience"] ?? "sessionkit-sample-api");
    }

    /// <summary>Applies the settings to the scheme's options.</summary>
    public void Configure(SessionOverJwtOptions options)
    {
        options.Issuer = Issuer;
        options.Audience = Audience;
        options.SigningKeys.Add(new SessionOverJwtSigningKey(new SymmetricSecurityKey(SigningKey) { KeyId = KeyId }, SecurityAlgorithms.HmacSha256));
    }
}
