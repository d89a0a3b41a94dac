using Microsoft.Extensions.Diagnostics.HealthChecks;
using SessionKit.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a health check of the session store.</summary>
public static class SessionKitHealthCheckExtensions
{
    /// <summary>
    /// Adds a health check named <paramref name="name"/> that reads from the session store (whichever is registered),
    /// reporting <see cref="HealthStatus.Unhealthy"/> when it does not answer within
    /// <see cref="SessionKit.SessionKitOptions.StoreTimeout"/>. Use it with <c>MapHealthChecks</c>.
    /// </summary>
    /// <param name="builder">The SessionKit builder.</param>
    /// <param name="name">The check's name. Defaults to <c>sessionkit-store</c>.</param>
    /// <param name="tags">Tags for filtering checks (for example <c>ready</c>).</param>
    /// <returns>The builder.</returns>
    public static SessionKitBuilder AddHealthCheck(this SessionKitBuilder builder, string name = "sessionkit-store", params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().AddCheck<SessionStoreHealthCheck>(name, HealthStatus.Unhealthy, tags);
        return builder;
    }
}
