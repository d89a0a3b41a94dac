using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SessionKit.InMemory;
using SessionKit.Testing;

namespace SessionKit.Core.Tests.Sessions;

public sealed class SessionStoreHealthCheckTests
{
    [Fact]
    public async Task Health_check_follows_the_store()
    {
        var store = new CountingSessionStore(new InMemorySessionStore(TimeProvider.System, TimeSpan.FromMinutes(1)));
        var services = new ServiceCollection().AddLogging().AddSingleton<ISessionStore>(store);
        services.AddSessionKit().AddHealthCheck();
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
        store.Outage = StoreOutage.Throws;
        var report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal("The session store does not answer.", report.Entries["sessionkit-store"].Description);
        store.Outage = StoreOutage.None;
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
    }
}
