namespace SessionKit;

/// <summary>
/// A claim carried by a server-side session, such as a display name or a role.
/// </summary>
/// <param name="Type">The claim type, for example <c>name</c> or <c>role</c>.</param>
/// <param name="Value">The claim value.</param>
public readonly record struct SessionClaim(string Type, string Value);
