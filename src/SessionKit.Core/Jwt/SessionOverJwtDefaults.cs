using Microsoft.IdentityModel.Tokens;

namespace SessionKit.Jwt;

/// <summary>Default values of the session-over-JWT authentication scheme.</summary>
public static class SessionOverJwtDefaults
{
    /// <summary>The default scheme name: <c>SessionOverJwt</c>.</summary>
    public const string AuthenticationScheme = "SessionOverJwt";

    /// <summary>
    /// The <c>typ</c> header of SessionKit session tokens: <c>sessionkit+jwt</c> (RFC 8725 §3.11 explicit typing).
    /// An ID token or another API's access token signed with the same key has another type and is refused.
    /// </summary>
    public const string TokenType = "sessionkit+jwt";

    /// <summary>The claim that carries the session id: <c>sid</c>.</summary>
    public const string SessionIdClaim = "sid";

    /// <summary>The default maximum length of a bearer token, in characters: 8192.</summary>
    public const int MaxTokenLength = 8 * 1024;

    /// <summary>The default and largest allowed clock skew (unless explicitly allowed): 30 seconds.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The algorithms the scheme allows by default: <c>HS256</c>, <c>RS256</c> and <c>ES256</c>. <c>none</c> is never allowed.
    /// </summary>
    public static IReadOnlyList<string> AllowedAlgorithms { get; } =
        [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];
}
