using System.Text.Json.Serialization;

namespace SessionKit.Sample;

/// <summary>The body of the endpoints that end sessions: how many sessions ended (-1 when the store cannot tell).</summary>
internal sealed record RevokedResponse([property: JsonPropertyName("revoked")] long Revoked);
