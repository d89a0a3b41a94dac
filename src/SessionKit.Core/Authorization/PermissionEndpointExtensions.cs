using Microsoft.AspNetCore.Authorization;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Per-endpoint permission requirements.</summary>
public static class PermissionEndpointExtensions
{
    /// <summary>
    /// Requires a session holding <paramref name="permission"/>, authenticated by one of
    /// <paramref name="authenticationSchemes"/> (or the default scheme when none are given).
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint convention builder.</typeparam>
    /// <param name="builder">The endpoint.</param>
    /// <param name="permission">The required permission.</param>
    /// <param name="authenticationSchemes">The schemes that may authenticate the request.</param>
    /// <returns>The builder.</returns>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission, params string[] authenticationSchemes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(permission);
        var policy = new AuthorizationPolicyBuilder(authenticationSchemes).RequirePermission(permission).Build();
        return builder.RequireAuthorization(policy);
    }
}
