using Microsoft.AspNetCore.Authentication;

namespace SessionKit.Authentication;

/// <summary>
/// Failure results the handlers return often, allocated once. The challenge tells some of them apart by reference
/// (a refused cross-origin request is answered 403, not 401).
/// </summary>
internal static class AuthenticateResults
{
    public static AuthenticateResult InvalidSession { get; } = AuthenticateResult.Fail("The session is not valid (unknown, revoked or expired).");

    public static AuthenticateResult DuplicateCookie { get; } = AuthenticateResult.Fail("The session cookie was sent more than once.");

    public static AuthenticateResult CrossOriginRequest { get; } = AuthenticateResult.Fail("A cookie-authenticated unsafe request came from another origin.");

    public static AuthenticateResult PrincipalRejected { get; } = AuthenticateResult.Fail("The principal was rejected by the scheme's events.");
}
