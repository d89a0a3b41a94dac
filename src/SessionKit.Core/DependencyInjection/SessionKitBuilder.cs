namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <see cref="SessionKitServiceCollectionExtensions.AddSessionKit(IServiceCollection, Action{SessionKit.SessionKitOptions}?)"/>
/// so that store packages can chain their registration: <c>services.AddSessionKit().AddRedisStore("localhost")</c>.
/// </summary>
public sealed class SessionKitBuilder
{
    internal SessionKitBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection SessionKit was added to.</summary>
    public IServiceCollection Services { get; }
}
