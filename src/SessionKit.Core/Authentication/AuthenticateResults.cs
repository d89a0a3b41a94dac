using Microsoft.AspNetCore.Authentication;

namespace SessionKit.Authentication;

/// <summary>Failure results the handlers return often, allocated once.</summary>
internal static class AuthenticateResults
{
    public static AuthenticateResult InvalidSession { get; } = AuthenticateResult.Fail("The session is not valid (unknown, revoked or expired).");
}
