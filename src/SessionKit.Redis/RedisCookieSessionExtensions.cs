using Microsoft.AspNetCore.Authentication;
using SessionKit.Cookies;
using SessionKit.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The cookie flavour on Redis in one call: the Redis store plus the SessionKit cookie scheme.</summary>
public static class RedisCookieSessionExtensions
{
    /// <summary>
    /// Adds SessionKit with the Redis store on the application's own <c>IConnectionMultiplexer</c> (for example Aspire's
    /// <c>builder.AddRedisClient("redis")</c>) and the cookie scheme under <see cref="SessionCookieDefaults.AuthenticationScheme"/>.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddRedisCookieSessions(this AuthenticationBuilder builder)
        => builder.AddRedisCookieSessions(configureCookie: null, configureStore: null);

    /// <summary>
    /// Adds SessionKit with the Redis store and the cookie scheme under <see cref="SessionCookieDefaults.AuthenticationScheme"/>;
    /// the store's connection is the one <paramref name="configureStore"/> sets, or else the application's own
    /// <c>IConnectionMultiplexer</c>.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configureCookie">Configures the cookie scheme.</param>
    /// <param name="configureStore">Configures the Redis store.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddRedisCookieSessions(this AuthenticationBuilder builder, Action<SessionCookieOptions>? configureCookie, Action<RedisSessionStoreOptions>? configureStore)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSessionKit().AddRedisStore(configureStore ?? (static _ => { }));
        return builder.AddSessionCookie(SessionCookieDefaults.AuthenticationScheme, configureCookie);
    }

    /// <summary>
    /// Adds SessionKit with the Redis store and the cookie scheme under <see cref="SessionCookieDefaults.AuthenticationScheme"/>.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>localhost:6379</c>.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddRedisCookieSessions(this AuthenticationBuilder builder, string configuration)
        => builder.AddRedisCookieSessions(configuration, SessionCookieDefaults.AuthenticationScheme, configureCookie: null, configureStore: null);

    /// <summary>Adds SessionKit with the Redis store and the cookie scheme, configuring the cookie.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string.</param>
    /// <param name="configureCookie">Configures the cookie scheme.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddRedisCookieSessions(this AuthenticationBuilder builder, string configuration, Action<SessionCookieOptions>? configureCookie)
        => builder.AddRedisCookieSessions(configuration, SessionCookieDefaults.AuthenticationScheme, configureCookie, configureStore: null);

    /// <summary>
    /// Adds SessionKit (if not added yet) with the Redis store, and the SessionKit cookie scheme under
    /// <paramref name="authenticationScheme"/>. Session policy is configured with <c>AddSessionKit(…)</c>.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="configureCookie">Configures the cookie scheme.</param>
    /// <param name="configureStore">Configures the Redis store.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddRedisCookieSessions(
        this AuthenticationBuilder builder,
        string configuration,
        string authenticationScheme,
        Action<SessionCookieOptions>? configureCookie,
        Action<RedisSessionStoreOptions>? configureStore)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSessionKit().AddRedisStore(configuration, configureStore);
        return builder.AddSessionCookie(authenticationScheme, configureCookie);
    }
}
