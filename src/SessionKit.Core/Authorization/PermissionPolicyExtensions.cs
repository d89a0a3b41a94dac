using SessionKit;

namespace Microsoft.AspNetCore.Authorization;

/// <summary>Authorization policies over the permissions held in SessionKit sessions.</summary>
public static class PermissionPolicyExtensions
{
    /// <summary>
    /// Requires an authenticated session holding <paramref name="permission"/>. Anonymous requests are challenged
    /// (401); authenticated sessions without the permission are forbidden (403).
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="permission">The permission, for example <c>ASSIGN_USERS</c>.</param>
    /// <returns>The builder.</returns>
    public static AuthorizationPolicyBuilder RequirePermission(this AuthorizationPolicyBuilder builder, string permission)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(permission);
        return builder.RequireAuthenticatedUser().RequireClaim(SessionKitClaimTypes.Permission, permission);
    }
}
