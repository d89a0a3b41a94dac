namespace SessionKit;

/// <summary>Claim types SessionKit puts on the <see cref="System.Security.Claims.ClaimsPrincipal"/> it builds from a session.</summary>
public static class SessionKitClaimTypes
{
    /// <summary>The session's subject (user id): <c>sub</c>.</summary>
    public const string Subject = "sub";

    /// <summary>One claim per permission of the session: <c>permission</c>.</summary>
    public const string Permission = "permission";

    /// <summary>The name claim type of SessionKit identities: <c>name</c>.</summary>
    public const string Name = "name";

    /// <summary>The role claim type of SessionKit identities: <c>role</c>.</summary>
    public const string Role = "role";
}
