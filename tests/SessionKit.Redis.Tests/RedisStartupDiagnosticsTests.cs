using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>
/// What an operator sees: an unreachable or refusing server is named with its cause in the log (never a password) while
/// calls fail closed, and a Redis that may evict SessionKit's keys is reported at start-up and by the health check.
/// </summary>
public sealed class RedisStartupDiagnosticsTests
{
    private const string Password = "n0t-in-any-log";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_unreachable_server_fails_calls_closed_and_the_log_names_the_endpoint_and_that_it_refused()
    {
        var port = RedisServerProcess.FreePort();
        await using var services = Build($"127.0.0.1:{port},password={Password}", out var logs);

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => ValidateWithDeadlineAsync(services));

        var entry = await LoggedAsync(logs, e => e.Id.Name == "RedisConnectionFailed");
        Assert.Contains("127.0.0.1:" + port, entry.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.GetSnapshot(), e => e.Message.Contains(Password, StringComparison.Ordinal) || (e.Exception?.ToString().Contains(Password, StringComparison.Ordinal) ?? false));
    }

    [Fact]
    public async Task A_wrong_password_is_logged_as_an_authentication_failure_without_the_password()
    {
        await using var server = new RedisServerProcess(0, null, "--requirepass", "the-right-one");
        await server.StartAsync();
        await using var services = Build($"{server.ConnectionString},password={Password}", out var logs);

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => ValidateWithDeadlineAsync(services));

        var entry = await LoggedAsync(logs, e => e.Id.Name == "RedisConnectionFailed");
        Assert.Contains(server.ConnectionString, entry.Message, StringComparison.Ordinal);
        Assert.Contains("authentication failed", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.GetSnapshot(), e => e.Message.Contains(Password, StringComparison.Ordinal) || (e.Exception?.ToString().Contains(Password, StringComparison.Ordinal) ?? false));
    }

    [Fact]
    public async Task A_policy_that_can_evict_sessionkits_keys_is_warned_about_at_start_up_and_degrades_the_health_check()
    {
        await using var server = new RedisServerProcess(0, null, "--maxmemory", "64mb", "--maxmemory-policy", "volatile-lru");
        await server.StartAsync();
        await using var services = Build(server.ConnectionString, out var logs);

        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var warning = await LoggedAsync(logs, e => e.Id.Name == "RedisEvictionPolicy");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("volatile-lru", warning.Message, StringComparison.Ordinal);
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, report.Entries[RedisSessionKitBuilderExtensions.EvictionHealthCheckName].Status);

        await server.CliAsync("CONFIG", "SET", "maxmemory-policy", "noeviction");
        report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries[RedisSessionKitBuilderExtensions.EvictionHealthCheckName].Status);
    }

    [Fact]
    public async Task Stopping_after_the_host_disposed_its_services_does_not_throw()
    {
        // A host stopped twice at once (Run's own shutdown and an outside StopAsync, as WebApplicationFactory's disposal
        // does) may dispose its services before the second stop reaches them.
        var services = Build("127.0.0.1:" + RedisServerProcess.FreePort(), out _);
        var hosted = services.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        await services.DisposeAsync();

        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private static ServiceProvider Build(string configuration, out FakeLogCollector logs)
    {
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddSessionKit().AddRedisStore(configuration, o => o.KeyPrefix = RedisStores.NewPrefix());
        var provider = services.BuildServiceProvider();
        logs = provider.GetFakeLogCollector();
        return provider;
    }

    private static async Task ValidateWithDeadlineAsync(ServiceProvider services)
    {
        var sessions = services.GetRequiredService<SessionManager>();
        await sessions.ValidateAsync("AAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "S");
    }

    private static async Task<FakeLogRecord> LoggedAsync(FakeLogCollector logs, Func<FakeLogRecord, bool> match)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (logs.GetSnapshot().FirstOrDefault(match) is { } entry)
            {
                return entry;
            }

            Assert.True(clock.Elapsed < Patience, "Not logged: " + string.Join("\n", logs.GetSnapshot().Select(e => e.Message)));
            await Task.Delay(50);
        }
    }
}
