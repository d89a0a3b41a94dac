using System.Text.Json.Serialization;

namespace SessionKit.Sample.JwtScenario;

/// <summary>The body of the admin force-logout endpoints: how many sessions ended (-1 when the store cannot tell).</summary>
internal sealed record RevokedResponse([property: JsonPropertyName("revoked")] long Revoked);
