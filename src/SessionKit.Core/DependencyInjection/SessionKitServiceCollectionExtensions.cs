using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Diagnostics;
using SessionKit;
using SessionKit.Authentication;
using SessionKit.Caching;
using SessionKit.Diagnostics;
using SessionKit.InMemory;
using SessionKit.Data;
using Microsoft.AspNetCore.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SessionKit's session manager and its default in-memory store.</summary>
public static class SessionKitServiceCollectionExtensions
{
    private static readonly TimeSpan InMemoryPurgeInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Adds the <see cref="SessionManager"/>, the <see cref="SessionAdminService"/>, the session policy options (validated at start-up) and, unless a store
    /// package registers another, the in-memory <see cref="ISessionStore"/>. Safe to call more than once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the session policy.</param>
    /// <returns>A builder on which store packages chain their registration.</returns>
    public static SessionKitBuilder AddSessionKit(this IServiceCollection services, Action<SessionKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SessionKitOptions>().ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionKitOptions>, SessionKitOptionsValidator>());
        services.TryAddSingleton(static sp => new SessionKitMetrics(sp.GetRequiredService<IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionHandler, StoreUnavailableExceptionHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeveloperPageExceptionFilter, SessionFailureDeveloperPageFilter>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, SessionDataStartupFilter>());
        services.TryAddSingleton<ISessionStore>(static sp => new InMemorySessionStore(sp.GetRequiredService<TimeProvider>(), InMemoryPurgeInterval));
        services.TryAddSingleton(SessionStorePipeline.Create);
        services.TryAddSingleton(static sp => new SessionManager(
            sp.GetRequiredService<SessionStorePipeline>(),
            sp.GetRequiredService<IOptionsMonitor<SessionKitOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<SessionKitMetrics>(),
            sp.GetRequiredService<ILogger<SessionManager>>()));
        services.TryAddSingleton(static sp => new SessionAdminService(
            sp.GetRequiredService<SessionManager>(),
            sp.GetRequiredService<ILogger<SessionAdminService>>()));
        return new SessionKitBuilder(services);
    }
}
