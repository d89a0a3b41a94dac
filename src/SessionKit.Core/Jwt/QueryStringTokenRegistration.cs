using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SessionKit.Jwt;

/// <summary>
/// Puts <see cref="QueryStringTokenHttpContextFactory"/> in front of the app's <see cref="IHttpContextFactory"/> when, at
/// start-up, some session-over-JWT scheme has <see cref="SessionOverJwtOptions.QueryStringTokenPaths"/>.
/// </summary>
internal static class QueryStringTokenRegistration
{
    public static void Add(IServiceCollection services, string scheme)
    {
        var installed = services.Any(static d => d.ServiceType == typeof(SessionOverJwtSchemeName));
        services.AddSingleton(new SessionOverJwtSchemeName(scheme));
        if (installed)
        {
            return;
        }

        // The host registers its factory first (WebApplication.CreateBuilder does); a plain service container has none.
        var existing = services.LastOrDefault(static d => d.ServiceType == typeof(IHttpContextFactory) && !d.IsKeyedService);
        if (existing is not null)
        {
            services.Remove(existing);
        }

        services.AddSingleton<IHttpContextFactory>(sp =>
        {
            var inner = existing is null ? new DefaultHttpContextFactory(sp) : Create(sp, existing);
            var monitor = sp.GetRequiredService<IOptionsMonitor<SessionOverJwtOptions>>();
            var paths = sp.GetServices<SessionOverJwtSchemeName>()
                .SelectMany(s => monitor.Get(s.Name).QueryStringTokenPaths)
                .Where(static p => p.HasValue)
                .Distinct()
                .ToArray();
            return paths.Length == 0 ? inner : new QueryStringTokenHttpContextFactory(inner, paths);
        });
    }

    private static IHttpContextFactory Create(IServiceProvider services, ServiceDescriptor descriptor)
        => (IHttpContextFactory)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
