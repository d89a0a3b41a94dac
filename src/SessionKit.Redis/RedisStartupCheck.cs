using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SessionKit.Redis;

/// <summary>
/// At start-up, in the background (an unavailable Redis must never delay or fail start-up): connects, which logs the
/// endpoint and the cause of any failure, then warns when a primary may evict SessionKit's keys.
/// </summary>
internal sealed class RedisStartupCheck(RedisSessionStore store, ILogger<RedisSessionStore> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stopping = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(CheckAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        CancelCheck();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        CancelCheck();
        _stopping.Dispose();
    }

    // A host can stop twice at once and dispose its services in between (Run's own shutdown racing a StopAsync from
    // outside, as WebApplicationFactory's disposal does): a check already disposed has nothing left to cancel.
    private void CancelCheck()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task CheckAsync()
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(Patience);
            foreach (var finding in await RedisEvictionPolicy.CheckAsync(store.Connection, timeout.Token).ConfigureAwait(false))
            {
                if (finding.CanEvict)
                {
                    logger.EvictionPolicyUnsafe(finding.Server, finding.Policy!);
                }
                else if (finding.Policy is null)
                {
                    logger.EvictionPolicyUnchecked(finding.Server, finding.Problem ?? "unknown");
                }
            }
        }
#pragma warning disable CA1031 // A check that cannot run (Redis down, shutting down) is not a start-up failure; the connection log names why.
        catch (Exception exception) when (exception is SessionStoreUnavailableException or OperationCanceledException or ObjectDisposedException)
#pragma warning restore CA1031
        {
            logger.EvictionPolicyUnchecked(store.Connection.Servers, exception is SessionStoreUnavailableException ? exception.Message : "not connected in time");
        }
    }
}
