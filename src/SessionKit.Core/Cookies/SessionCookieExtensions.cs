using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SessionKit.Cookies;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the SessionKit cookie scheme to an <see cref="AuthenticationBuilder"/>.</summary>
public static class SessionCookieExtensions
{
    /// <summary>Adds the cookie scheme under <see cref="SessionCookieDefaults.AuthenticationScheme"/> with default options.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddSessionCookie(this AuthenticationBuilder builder)
        => builder.AddSessionCookie(SessionCookieDefaults.AuthenticationScheme, displayName: null, configureOptions: null);

    /// <summary>Adds the cookie scheme under <paramref name="authenticationScheme"/> with default options.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddSessionCookie(this AuthenticationBuilder builder, string authenticationScheme)
        => builder.AddSessionCookie(authenticationScheme, displayName: null, configureOptions: null);

    /// <summary>Adds the cookie scheme under <see cref="SessionCookieDefaults.AuthenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configureOptions">Configures the scheme.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddSessionCookie(this AuthenticationBuilder builder, Action<SessionCookieOptions>? configureOptions)
        => builder.AddSessionCookie(SessionCookieDefaults.AuthenticationScheme, displayName: null, configureOptions);

    /// <summary>Adds the cookie scheme under <paramref name="authenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="configureOptions">Configures the scheme.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddSessionCookie(this AuthenticationBuilder builder, string authenticationScheme, Action<SessionCookieOptions>? configureOptions)
        => builder.AddSessionCookie(authenticationScheme, displayName: null, configureOptions);

    /// <summary>
    /// Adds the cookie scheme: an opaque, server-side session id in a <c>__Host-</c> cookie. Also adds SessionKit's
    /// core services (<see cref="SessionKitServiceCollectionExtensions.AddSessionKit"/>) if they are not there yet.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="displayName">The display name.</param>
    /// <param name="configureOptions">Configures the scheme.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddSessionCookie(this AuthenticationBuilder builder, string authenticationScheme, string? displayName, Action<SessionCookieOptions>? configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        builder.Services.AddSessionKit();
        // The environment is optional: a plain service container (a unit test, a worker) has none, and is then treated
        // as "not Development", the stricter case.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionCookieOptions>, SessionCookieOptionsValidator>(
            static sp => new SessionCookieOptionsValidator(sp.GetService<IHostEnvironment>())));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SessionCookieOptions>, PostConfigureSessionCookieOptions>());
        builder.Services.AddOptions<SessionCookieOptions>(authenticationScheme).ValidateOnStart();
        return builder.AddScheme<SessionCookieOptions, SessionCookieHandler>(authenticationScheme, displayName, configureOptions);
    }
}
