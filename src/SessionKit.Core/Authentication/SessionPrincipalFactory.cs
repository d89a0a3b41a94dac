using System.Security.Claims;

namespace SessionKit.Authentication;

/// <summary>
/// Builds the request's principal from the session record — not from the token or cookie — so that a claims or
/// permission change in the store is visible on the very next request.
/// </summary>
internal static class SessionPrincipalFactory
{
    public static ClaimsPrincipal Create(SessionRecord session, string authenticationType)
    {
        var claims = new List<Claim>(2 + session.Claims.Count + session.Permissions.Count)
        {
            new(SessionKitClaimTypes.Subject, session.Subject),
            new(ClaimTypes.NameIdentifier, session.Subject),
        };
        foreach (var claim in session.Claims)
        {
            claims.Add(new Claim(claim.Type, claim.Value));
        }

        foreach (var permission in session.Permissions)
        {
            claims.Add(new Claim(SessionKitClaimTypes.Permission, permission));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, SessionKitClaimTypes.Name, SessionKitClaimTypes.Role));
    }
}
