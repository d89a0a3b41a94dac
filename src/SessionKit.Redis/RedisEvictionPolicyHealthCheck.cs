using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SessionKit.Redis;

/// <summary>
/// Reports <see cref="HealthStatus.Degraded"/> (or the registration's failure status) when a Redis primary may evict
/// SessionKit's keys; see <see cref="RedisEvictionPolicy"/>. Reachability itself is the store health check's job.
/// </summary>
internal sealed class RedisEvictionPolicyHealthCheck(RedisSessionStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<RedisEvictionPolicy.Finding> findings;
        try
        {
            findings = await RedisEvictionPolicy.CheckAsync(store.Connection, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException exception)
        {
            return HealthCheckResult.Healthy("Redis is unavailable; its eviction policy could not be checked: " + exception.Message);
        }

        var unsafeServers = findings.Where(f => f.CanEvict).Select(f => $"{f.Server} ({f.Policy})").ToList();
        if (unsafeServers.Count > 0)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"Redis may evict SessionKit's keys under memory pressure (maxmemory-policy other than '{RedisEvictionPolicy.Supported}'): {string.Join(", ", unsafeServers)}.");
        }

        var unchecked_ = findings.Where(f => f.Policy is null).Select(f => $"{f.Server}: {f.Problem}").ToList();
        return HealthCheckResult.Healthy(unchecked_.Count > 0
            ? "maxmemory-policy not checked: " + string.Join("; ", unchecked_)
            : $"maxmemory-policy cannot evict SessionKit's keys ({string.Join(", ", findings.Select(f => f.Server + ": " + f.Policy))}).");
    }
}
