using System.Text.Json.Serialization;

namespace SessionKit.Sample.JwtScenario;

/// <summary>The body of a successful <c>POST /login</c>, in the OAuth 2.0 token response shape (RFC 6749 §5.1).</summary>
internal sealed record LoginResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);
