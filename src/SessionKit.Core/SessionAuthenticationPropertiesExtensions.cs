using System.Globalization;
using Microsoft.AspNetCore.Authentication;

namespace SessionKit;

/// <summary>SessionKit's sign-in parameters carried in <see cref="AuthenticationProperties"/>.</summary>
public static class SessionAuthenticationPropertiesExtensions
{
    private const string ClaimsVersionItem = ".sessionkit.claims_version";

    /// <summary>
    /// Sets the version of the user data the sign-in's claims were read from (<see cref="SessionCreateRequest.ClaimsVersion"/>),
    /// so that a concurrent <see cref="SessionAdminService.UpdateSubjectClaimsAsync"/> with a newer version wins.
    /// </summary>
    /// <param name="properties">The properties passed to <c>SignInAsync</c>.</param>
    /// <param name="version">The version; 0 or more.</param>
    /// <returns>The same properties.</returns>
    public static AuthenticationProperties SetClaimsVersion(this AuthenticationProperties properties, long version)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        properties.Items[ClaimsVersionItem] = version.ToString(CultureInfo.InvariantCulture);
        return properties;
    }

    /// <summary>The version set by <see cref="SetClaimsVersion"/>, or 0.</summary>
    /// <param name="properties">The properties.</param>
    /// <returns>The version, or 0 when none was set.</returns>
    public static long GetClaimsVersion(this AuthenticationProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.Items.TryGetValue(ClaimsVersionItem, out var text)
               && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0;
    }
}
