namespace SessionKit;

/// <summary>A subject's claims and permissions, as of one version of the user data they come from.</summary>
/// <param name="Claims">The claims (other than permissions).</param>
/// <param name="Permissions">The permissions.</param>
/// <param name="Version">
/// The version of the user data these claims were read from; a higher version always wins, whatever order updates
/// reach the store in. 0 means "newer than anything the store has seen for this subject".
/// </param>
public sealed record SubjectClaims(IReadOnlyList<SessionClaim> Claims, IReadOnlyList<string> Permissions, long Version = 0);
