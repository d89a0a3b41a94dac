using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionKit.Diagnostics;

namespace SessionKit;

/// <summary>
/// Calls the <see cref="ISessionStore"/> with a timeout, a span, a duration metric and one failure rule:
/// anything but the caller's own cancellation becomes <see cref="SessionStoreUnavailableException"/>.
/// </summary>
/// <remarks>
/// The timeout is applied with <see cref="Task.WaitAsync(TimeSpan, TimeProvider, CancellationToken)"/> rather than
/// only a token, because some store clients (StackExchange.Redis 1.x) ignore cancellation; and a store call that
/// completes synchronously (the in-memory store) then costs no timer at all.
/// </remarks>
internal sealed class SessionStoreInvoker(
    ISessionStore store,
    IOptionsMonitor<SessionKitOptions> options,
    TimeProvider time,
    SessionKitMetrics metrics,
    ILogger logger)
{
    public Task<IReadOnlyList<SessionKey>> CreateAsync(SessionRecord session, int max, CancellationToken ct)
        => InvokeAsync("create", (session, max), static (s, a, t) => s.CreateAsync(a.session, a.max, t), ct);

    public Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken ct)
        => InvokeAsync("get", key, static (s, k, t) => s.GetAsync(k, t), ct);

    public Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeen, DateTimeOffset idleExpires, CancellationToken ct)
        => InvokeAsync("touch", (key, lastSeen, idleExpires), static (s, a, t) => s.TouchAsync(a.key, a.lastSeen, a.idleExpires, t), ct);

    public Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken ct)
        => InvokeAsync("update", (session, expectedVersion), static (s, a, t) => s.UpdateAsync(a.session, a.expectedVersion, t), ct);

    public Task<bool> DeleteAsync(SessionKey key, CancellationToken ct)
        => InvokeAsync("delete", key, static (s, k, t) => s.DeleteAsync(k, t), ct);

    public Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken ct)
        => InvokeAsync("list_by_subject", subject, static (s, a, t) => s.ListBySubjectAsync(a, t), ct);

    public Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, CancellationToken ct)
        => InvokeAsync("delete_by_subject", subject, static (s, a, t) => s.DeleteBySubjectAsync(a, t), ct);

    public Task<IReadOnlyList<SessionKey>> UpdateClaimsBySubjectAsync(string subject, IReadOnlyList<SessionClaim> claims, IReadOnlyList<string> permissions, CancellationToken ct)
        => InvokeAsync("update_claims_by_subject", (subject, claims, permissions), static (s, a, t) => s.UpdateClaimsBySubjectAsync(a.subject, a.claims, a.permissions, t), ct);

    public Task<long> DeleteAllAsync(CancellationToken ct)
        => InvokeAsync("delete_all", 0, static (s, _, t) => s.DeleteAllAsync(t), ct);

    private async Task<TResult> InvokeAsync<TState, TResult>(string operation, TState state, Func<ISessionStore, TState, CancellationToken, Task<TResult>> call, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var activity = SessionKitActivitySource.Instance.StartActivity("sessionkit.store." + operation, ActivityKind.Client);
        var success = false;
        try
        {
            var task = call(store, state, cancellationToken);
            var result = task.IsCompletedSuccessfully
                ? task.Result
                : await task.WaitAsync(options.CurrentValue.StoreTimeout, time, cancellationToken).ConfigureAwait(false);
            success = true;
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not SessionStoreUnavailableException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            logger.StoreUnavailable(operation, ex);
            throw new SessionStoreUnavailableException($"The session store failed during '{operation}': {ex.GetType().Name}.", ex);
        }
        finally
        {
            metrics.StoreCall(operation, success, time.GetElapsedTime(started));
        }
    }
}
