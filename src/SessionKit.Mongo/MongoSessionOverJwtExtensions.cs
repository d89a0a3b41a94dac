using Microsoft.AspNetCore.Authentication;
using SessionKit.Jwt;
using SessionKit.Mongo;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The session-over-JWT flavour on MongoDB in one call: the MongoDB store plus the JWT scheme.</summary>
public static class MongoSessionOverJwtExtensions
{
    /// <summary>
    /// Adds SessionKit (if not added yet) with the MongoDB store on a client created from
    /// <paramref name="connectionString"/>, and the session-over-JWT scheme under
    /// <see cref="SessionOverJwtDefaults.AuthenticationScheme"/>. Session policy is configured with <c>AddSessionKit(…)</c>.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="connectionString">A MongoDB connection string; its database (default <c>sessionkit</c>) holds the sessions.</param>
    /// <param name="configureJwt">Configures the scheme: issuer, audience and signing keys are required.</param>
    /// <param name="configureStore">Configures the MongoDB store.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The driver does not accept <paramref name="connectionString"/>.</exception>
    public static AuthenticationBuilder AddMongoSessionOverJwt(
        this AuthenticationBuilder builder,
        string connectionString,
        Action<SessionOverJwtOptions> configureJwt,
        Action<MongoSessionStoreOptions>? configureStore = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSessionKit().AddMongoStore(connectionString, configureStore);
        return builder.AddSessionOverJwt(configureJwt);
    }
}
