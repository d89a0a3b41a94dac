namespace SessionKit.Sample.JwtScenario;

/// <summary>The body of <c>POST /login</c>.</summary>
/// <param name="Username">The user name, e.g. <c>root</c>.</param>
/// <param name="Password">The password, e.g. <c>password</c>.</param>
internal sealed record LoginRequest(string? Username, string? Password);
