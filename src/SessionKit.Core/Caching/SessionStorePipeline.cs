using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionKit.Diagnostics;

namespace SessionKit.Caching;

/// <summary>
/// The one way to the <see cref="ISessionStore"/>: every call gets <see cref="SessionKitOptions.StoreTimeout"/> as a
/// cancellation token, a span, a duration metric and one error rule; reads go through the local cache when it is on.
/// </summary>
/// <remarks>
/// The error rule: a call fails closed (<see cref="SessionStoreUnavailableException"/>) when the timeout fired or the
/// store reported an infrastructure failure; the caller's own cancellation propagates as is; anything else is a bug
/// and propagates as is too, never disguised as an outage. A store that ignores its token still cannot hold a request
/// past the timeout: the pipeline stops waiting for it.
/// </remarks>
internal sealed class SessionStorePipeline : IDisposable
{
    private readonly ISessionStore _store;
    private readonly CachingSessionStore? _cache;
    private readonly IOptionsMonitor<SessionKitOptions> _options;
    private readonly TimeProvider _time;
    private readonly SessionKitMetrics _metrics;
    private readonly ILogger _logger;

    internal SessionStorePipeline(ISessionStore store, CachingSessionStore? cache, IOptionsMonitor<SessionKitOptions> options, TimeProvider time, SessionKitMetrics metrics, ILogger logger)
    {
        _store = (ISessionStore?)cache ?? store;
        _cache = cache;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    public static SessionStorePipeline Create(IServiceProvider services)
    {
        var store = services.GetRequiredService<ISessionStore>();
        var options = services.GetRequiredService<IOptionsMonitor<SessionKitOptions>>();
        var time = services.GetRequiredService<TimeProvider>();
        var metrics = services.GetRequiredService<SessionKitMetrics>();
        var cacheOptions = options.CurrentValue.LocalCache;
        CachingSessionStore? cache = null;
        if (cacheOptions.Enabled)
        {
            // SessionKitOptionsValidator refuses LocalCache without a change feed at start-up; this is the same rule for
            // apps that skipped start-up validation.
            var feed = services.GetService<ISessionChangeFeed>()
                ?? throw new InvalidOperationException(SessionKitOptionsValidator.CacheNeedsChangeFeed);
            cache = new CachingSessionStore(store, feed, cacheOptions, time, metrics);
        }

        return new SessionStorePipeline(store, cache, options, time, metrics, services.GetRequiredService<ILogger<SessionStorePipeline>>());
    }

    public Task<SessionCreateResult> CreateAsync(SessionRecord session, int max, CancellationToken ct)
        => InvokeAsync("create", (session, max), static (s, a, t) => s.CreateAsync(a.session, a.max, t), ct);

    public Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken ct)
        => _cache is not null && _cache.TryGetFresh(key, out var cached)
            ? Task.FromResult<SessionRecord?>(cached)
            : InvokeAsync("get", key, static (s, k, t) => s.GetAsync(k, t), ct);

    public Task<bool> TouchAsync(SessionKey key, DateTimeOffset lastSeen, DateTimeOffset idleExpires, CancellationToken ct)
        => InvokeAsync("touch", (key, lastSeen, idleExpires), static (s, a, t) => s.TouchAsync(a.key, a.lastSeen, a.idleExpires, t), ct);

    public Task<bool> UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken ct)
        => InvokeAsync("update", (session, expectedVersion), static (s, a, t) => s.UpdateAsync(a.session, a.expectedVersion, t), ct);

    public Task<bool> DeleteAsync(SessionKey key, CancellationToken ct)
        => InvokeAsync("delete", key, static (s, k, t) => s.DeleteAsync(k, t), ct);

    public Task<IReadOnlyList<SessionRecord>> ListBySubjectAsync(string subject, CancellationToken ct)
        => InvokeAsync("list_by_subject", subject, static (s, a, t) => s.ListBySubjectAsync(a, t), ct);

    public Task<IReadOnlyList<SessionKey>> DeleteBySubjectAsync(string subject, SessionKey? except, CancellationToken ct)
        => InvokeAsync("delete_by_subject", (subject, except), static (s, a, t) => s.DeleteBySubjectAsync(a.subject, a.except, t), ct);

    public Task<SubjectClaimsUpdateResult> UpdateSubjectClaimsAsync(string subject, SubjectClaims claims, DateTimeOffset retainUntil, CancellationToken ct)
        => InvokeAsync("update_subject_claims", (subject, claims, retainUntil), static (s, a, t) => s.UpdateSubjectClaimsAsync(a.subject, a.claims, a.retainUntil, t), ct);

    public Task<long> DeleteAllAsync(CancellationToken ct)
        => InvokeAsync("delete_all", 0, static (s, _, t) => s.DeleteAllAsync(t), ct);

    public Task<SessionQueryPage> QueryAsync(SessionQuery query, CancellationToken ct)
        => InvokeAsync("query", query, static (s, q, t) => s.QueryAsync(q, t), ct);

    public void Dispose() => _cache?.Dispose();

    private async Task<TResult> InvokeAsync<TState, TResult>(string operation, TState state, Func<ISessionStore, TState, CancellationToken, Task<TResult>> call, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var activity = SessionKitActivitySource.Instance.StartActivity("sessionkit.store." + operation, ActivityKind.Client);
        var timeout = _options.CurrentValue.StoreTimeout;
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var callerGaveUp = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline)
            : default;
        var success = false;
        try
        {
            var task = call(_store, state, deadline.Token);
            if (!task.IsCompleted)
            {
                try
                {
                    await task.WaitAsync(deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!task.IsCompleted)
                {
                    // The store ignored its token; what it does later must not surface as an unobserved exception.
                    _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    throw;
                }
            }

            var result = await task.ConfigureAwait(false);
            success = true;
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            _logger.StoreTimedOut(operation, (long)timeout.TotalMilliseconds);
            throw new SessionStoreUnavailableException($"The session store did not answer '{operation}' within {timeout.TotalMilliseconds:0} ms (SessionKitOptions.StoreTimeout).", ex);
        }
        catch (SessionStoreUnavailableException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "unavailable");
            _logger.StoreUnavailable(operation, ex);
            throw;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            _metrics.StoreCall(operation, success, _time.GetElapsedTime(started));
        }
    }
}
