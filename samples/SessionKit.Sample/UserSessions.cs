using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using SessionKit.Jwt;
using SessionKit.Sample.Users;

namespace SessionKit.Sample;

/// <summary>
/// Every call the sample makes into SessionKit's session APIs, in one place: what a user's session carries (the name
/// claim and the user's permissions, read from the user database), signing in with a token or a cookie, pushing changed
/// permissions to live sessions, and the operator's and the user's revocations. Sessions carry the version of the user
/// row their claims were read from, and claims updates pass the version they wrote, so a sign-in racing with a group
/// change never keeps the older permissions, and two group changes never land out of order.
/// </summary>
internal sealed class UserSessions(SessionOverJwtTokenService tokens, SessionManager sessions, SessionAdminService admin)
{
    /// <summary>Issues a session token for the user (rotating the caller's current session, if the request carries one).</summary>
    public Task<SessionOverJwtToken> IssueTokenAsync(HttpContext context, SampleUser user)
        => tokens.IssueAsync(
            user.Subject,
            claims: Claims(user),
            permissions: user.Permissions,
            client: new SessionClientInfo(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString()),
            currentToken: BearerToken(context.Request),
            claimsVersion: user.Version,
            cancellationToken: context.RequestAborted);

    /// <summary>Ends the session whose token the request carries.</summary>
    public Task<bool> LogoutTokenAsync(HttpContext context) => tokens.LogoutAsync(context, context.RequestAborted);

    /// <summary>Signs the user in with a cookie scheme: a new session holding the user's claims and permissions.</summary>
    public Task SignInWithCookieAsync(HttpContext context, SampleUser user, string scheme)
    {
        var identity = new ClaimsIdentity([new Claim(SessionKitClaimTypes.Subject, user.Subject)], authenticationType: "password");
        identity.AddClaims(Claims(user).Select(c => new Claim(c.Type, c.Value)));
        identity.AddClaims(user.Permissions.Select(p => new Claim(SessionKitClaimTypes.Permission, p)));
        return context.SignInAsync(scheme, new ClaimsPrincipal(identity), new AuthenticationProperties().SetClaimsVersion(user.Version));
    }

    /// <summary>Gives every live session of the user the user's current claims and permissions; returns how many.</summary>
    public async Task<int> UpdateClaimsAsync(SampleUser user, CancellationToken cancellationToken)
        => (await admin.UpdateSubjectClaimsAsync(user.Subject, Claims(user), user.Permissions, user.Version, cancellationToken)).Updated.Count;

    /// <summary>Ends every session of the user (operator's force logout of one user).</summary>
    public Task<int> RevokeUserAsync(SampleUser user, CancellationToken cancellationToken)
        => tokens.LogoutEverywhereAsync(user.Subject, cancellationToken);

    /// <summary>Ends every session of every user (operator's force logout of everyone); -1 when the store cannot tell how many.</summary>
    public Task<long> RevokeAllAsync(CancellationToken cancellationToken)
        => admin.RevokeAllAsync(SessionRevocationReason.Administrative, cancellationToken);

    /// <summary>One page of all sessions (operators).</summary>
    public Task<SessionQueryPage> QueryAsync(SessionQuery query, CancellationToken cancellationToken)
        => admin.QueryAsync(query, cancellationToken);

    /// <summary>Ends one session by its key (operators).</summary>
    public Task<bool> RevokeByKeyAsync(SessionKey key, CancellationToken cancellationToken)
        => admin.RevokeAsync(key, SessionRevocationReason.Administrative, cancellationToken);

    /// <summary>The live sessions of the signed-in user of <paramref name="current"/>.</summary>
    public Task<IReadOnlyList<SessionRecord>> ListAsync(SessionRecord current, CancellationToken cancellationToken)
        => sessions.ListAsync(current.Subject, cancellationToken);

    /// <summary>Ends one of the user's own sessions, found by the handle <c>GET /sessions</c> shows.</summary>
    public async Task<bool> RevokeOwnAsync(SessionRecord current, string handle, CancellationToken cancellationToken)
    {
        var all = await sessions.ListAsync(current.Subject, cancellationToken);
        // Only the caller's own sessions can be revoked: the handle is looked up among them, never used blindly.
        return all.FirstOrDefault(s => string.Equals(s.Key.Hash, handle, StringComparison.Ordinal)) is { } target
               && await sessions.RevokeAsync(target.Key, SessionRevocationReason.Logout, cancellationToken);
    }

    /// <summary>Ends every session of the user except <paramref name="current"/>.</summary>
    public Task<int> RevokeOthersAsync(SessionRecord current, CancellationToken cancellationToken)
        => sessions.RevokeOthersAsync(current, cancellationToken);

    private static SessionClaim[] Claims(SampleUser user) => [new SessionClaim(SessionKitClaimTypes.Name, user.Username)];

    private static string? BearerToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}
