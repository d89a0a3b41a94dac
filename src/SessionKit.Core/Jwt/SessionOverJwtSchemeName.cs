namespace SessionKit.Jwt;

/// <summary>The name of a registered session-over-JWT scheme, for services that must look at every scheme's options.</summary>
/// <param name="Name">The scheme name.</param>
internal sealed record SessionOverJwtSchemeName(string Name);
