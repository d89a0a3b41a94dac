using Microsoft.IdentityModel.Tokens;

namespace SessionKit.Jwt;

/// <summary>
/// A key of the session-over-JWT scheme together with the one algorithm it is used with (RFC 8725 §3.1: a key
/// never validates a token signed with another algorithm, so an RSA public key can never serve as an HMAC secret).
/// </summary>
/// <remarks>
/// <see cref="SecurityKey.KeyId"/> is required: it becomes the tokens' <c>kid</c> header, which the handler only uses
/// to look the key up among the configured ones (it is never a path, URL or query).
/// </remarks>
public sealed class SessionOverJwtSigningKey
{
    /// <summary>Creates a key entry.</summary>
    /// <param name="key">
    /// The key, with its <see cref="SecurityKey.KeyId"/> set: a <see cref="SymmetricSecurityKey"/> of at least 32 bytes for
    /// <c>HS256</c>, an <see cref="RsaSecurityKey"/> (2048 bits or more) for <c>RS256</c>, an <see cref="ECDsaSecurityKey"/>
    /// on P-256 for <c>ES256</c>. Public-only RSA/EC keys validate but cannot sign.
    /// </param>
    /// <param name="algorithm">The key's algorithm, for example <see cref="SecurityAlgorithms.HmacSha256"/> (<c>HS256</c>).</param>
    public SessionOverJwtSigningKey(SecurityKey key, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(algorithm);
        Key = key;
        Algorithm = algorithm;
    }

    /// <summary>The key.</summary>
    public SecurityKey Key { get; }

    /// <summary>The only algorithm this key signs and validates with.</summary>
    public string Algorithm { get; }

    /// <summary>The key id (<c>kid</c>), from <see cref="SecurityKey.KeyId"/>.</summary>
    public string? KeyId => Key.KeyId;
}
