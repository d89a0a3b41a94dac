using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SessionKit.HealthChecks;

/// <summary>
/// Reports whether the session store answers: one read of a key that cannot exist, through the
/// <see cref="SessionManager"/>'s timeout rules. Works for every store without a store-specific probe.
/// </summary>
internal sealed class SessionStoreHealthCheck(SessionManager sessions) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await sessions.ProbeStoreAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The session store answers.");
        }
        catch (SessionStoreUnavailableException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The session store does not answer.", ex);
        }
    }
}
