using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SessionKit.Authentication;

/// <summary>
/// Turns the principal an app passes to <c>SignInAsync</c> into a session: the subject from <c>sub</c> (or
/// <see cref="ClaimTypes.NameIdentifier"/>, or the identity name), permissions from <c>permission</c> claims, every
/// other claim kept as is, and the client's IP address and user agent.
/// </summary>
internal static class SessionRequestFromPrincipal
{
    public static SessionCreateRequest Create(ClaimsPrincipal user, AuthenticationProperties? properties, HttpContext context, string scheme, string? currentSessionId)
    {
        var subject = user.FindFirst(SessionKitClaimTypes.Subject)?.Value
            ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value
            ?? user.Identity?.Name;
        if (string.IsNullOrEmpty(subject))
        {
            throw new InvalidOperationException("The principal passed to SignInAsync needs a subject: a 'sub' or NameIdentifier claim, or an identity name.");
        }

        var claims = new List<SessionClaim>();
        var permissions = new List<string>();
        foreach (var claim in user.Claims)
        {
            if (claim.Type == SessionKitClaimTypes.Permission)
            {
                permissions.Add(claim.Value);
            }
            else if (claim.Type is not SessionKitClaimTypes.Subject and not ClaimTypes.NameIdentifier)
            {
                claims.Add(new SessionClaim(claim.Type, claim.Value));
            }
        }

        return new SessionCreateRequest
        {
            Subject = subject,
            Scheme = scheme,
            ClaimsVersion = properties?.GetClaimsVersion() ?? 0,
            Claims = claims,
            Permissions = permissions,
            Client = new SessionClientInfo(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers[HeaderNames.UserAgent].ToString() is { Length: > 0 } agent ? agent : null),
            ReplacesSessionId = currentSessionId,
        };
    }
}
