using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionKit;
using SessionKit.Jwt;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the session-over-JWT authentication scheme.</summary>
public static class SessionOverJwtExtensions
{
    /// <summary>Adds the session-over-JWT scheme under <see cref="SessionOverJwtDefaults.AuthenticationScheme"/>; configure it with <c>Configure&lt;SessionOverJwtOptions&gt;</c>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddSessionOverJwt(this AuthenticationBuilder builder)
        => builder.AddSessionOverJwt(SessionOverJwtDefaults.AuthenticationScheme, displayName: null, configureOptions: null);

    /// <summary>Adds the session-over-JWT scheme under <paramref name="authenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddSessionOverJwt(this AuthenticationBuilder builder, string authenticationScheme)
        => builder.AddSessionOverJwt(authenticationScheme, displayName: null, configureOptions: null);

    /// <summary>Adds the session-over-JWT scheme under <see cref="SessionOverJwtDefaults.AuthenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configureOptions">Sets issuer, audience and keys.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddSessionOverJwt(this AuthenticationBuilder builder, Action<SessionOverJwtOptions>? configureOptions)
        => builder.AddSessionOverJwt(SessionOverJwtDefaults.AuthenticationScheme, displayName: null, configureOptions);

    /// <summary>Adds the session-over-JWT scheme under <paramref name="authenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="configureOptions">Sets issuer, audience and keys.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddSessionOverJwt(this AuthenticationBuilder builder, string authenticationScheme, Action<SessionOverJwtOptions>? configureOptions)
        => builder.AddSessionOverJwt(authenticationScheme, displayName: null, configureOptions);

    /// <summary>
    /// Adds the session-over-JWT scheme: <c>Authorization: Bearer</c> tokens are checked (RFC 8725) and then the session
    /// they point to is loaded from the <see cref="ISessionStore"/> through the <see cref="SessionManager"/>. Also adds
    /// SessionKit's core services (if not already added) and a <see cref="SessionOverJwtTokenService"/> for the scheme
    /// (unkeyed for the first scheme added, and keyed by <paramref name="authenticationScheme"/>). Options are validated at start-up.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="displayName">The display name, or <see langword="null"/>.</param>
    /// <param name="configureOptions">Sets issuer, audience and keys.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddSessionOverJwt(this AuthenticationBuilder builder, string authenticationScheme, string? displayName, Action<SessionOverJwtOptions>? configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        var services = builder.Services;
        services.AddSessionKit();
        services.AddOptions<SessionOverJwtOptions>(authenticationScheme).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SessionOverJwtOptions>, PostConfigureSessionOverJwtOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionOverJwtOptions>, SessionOverJwtOptionsValidator>());
        QueryStringTokenRegistration.Add(services, authenticationScheme);
        services.TryAddKeyedSingleton(authenticationScheme, static (sp, key) => CreateTokenService(sp, (string)key!));
        services.TryAddSingleton(sp => CreateTokenService(sp, authenticationScheme));
        return builder.AddScheme<SessionOverJwtOptions, SessionOverJwtHandler>(authenticationScheme, displayName, configureOptions);
    }

    private static SessionOverJwtTokenService CreateTokenService(IServiceProvider services, string scheme)
        => new(scheme,
            services.GetRequiredService<SessionManager>(),
            services.GetRequiredService<IOptionsMonitor<SessionOverJwtOptions>>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<SessionOverJwtTokenService>>());
}
