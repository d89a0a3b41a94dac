using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>Where the store's writes go, and what undoes a create the caller gave up on.</summary>
internal sealed partial class RedisSessionStore
{
    /// <summary>
    /// Runs a writing script: a revoking one (<paramref name="revokes"/>) on the replica-acknowledged connection when
    /// <see cref="RedisSessionStoreOptions.RevocationReplicas"/> is set, everything else on the shared connection.
    /// </summary>
    private Task<RedisResult> WriteAsync(RedisScript script, RedisKey[] keys, RedisValue[] values, bool revokes, CancellationToken cancellationToken)
        => WriteAsync(script, keys, values, revokes, abandoned: null, cancellationToken);

    private Task<RedisResult> WriteAsync(RedisScript script, RedisKey[] keys, RedisValue[] values, bool revokes, Action<IDatabaseAsync, Task>? abandoned, CancellationToken cancellationToken)
        => revokes && _revocations is { } acknowledged
            ? acknowledged.EvaluateAsync(script, keys, values, abandoned, cancellationToken)
            : _connection.RunAsync(db => script.EvaluateAsync(db, keys, values), abandoned, cancellationToken);

    /// <summary>
    /// A create whose caller stopped waiting after it was sent may still run: once it has completed, delete the session
    /// it may have stored (and its index entry), on the same connection so that the delete is ordered after it. Then it
    /// can neither be used nor count toward the per-subject maximum. Best effort: a delete that fails is logged.
    /// </summary>
    private void CompensateAbandonedCreate(IDatabaseAsync database, Task create, SessionKey key)
    {
        RedisKey[] keys = [_keys.Session(key)];
        RedisValue[] values = [Now(), _keys.IndexBase(key.Partition), key.Hash, _channel, new RedisRevocation(RedisRevocationReason.Deleted, key).Format()];
        _ = create.ContinueWith(
            async completed =>
            {
                if (completed.Exception?.InnerException is { } failure && !RedisFailures.IsInfrastructure(failure))
                {
                    return; // The script refused before writing anything.
                }

                try
                {
                    var deleted = (long)await RedisSessionScripts.Delete.EvaluateAsync(database, keys, values).ConfigureAwait(false) == 1;
                    _logger.AbandonedCreateCompensated(deleted);
                }
#pragma warning disable CA1031 // Best effort, off the request path: the failure is logged, never thrown into nowhere.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    _logger.AbandonedCreateNotCompensated(exception);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
    }
}
