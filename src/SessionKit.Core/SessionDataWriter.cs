namespace SessionKit;

/// <summary>
/// Saves changes to a session's data with compare-and-set: applies the changes (per key: set or remove) to the record
/// last read, and on a version conflict re-reads and applies them again, so concurrent requests that change different
/// keys keep each other's changes and, on one key, the last save wins.
/// </summary>
internal static class SessionDataWriter
{
    // A conflict means another request saved in between; the retry re-reads at once, then backs off with jitter so that
    // a burst of writers on one session spreads out instead of colliding again.
    private const int MaxAttempts = 64;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(50);

    public static async Task<SessionRecord?> SaveAsync(SessionManager manager, SessionKey key, SessionRecord? basis, IReadOnlyDictionary<string, byte[]?> changes, CancellationToken cancellationToken)
    {
        var limit = manager.Options.MaxDataBytes;
        var current = basis;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            current ??= await manager.Store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (current is null || SessionClock.IsExpired(current, manager.Options, manager.Clock.Now()))
            {
                return null;
            }

            var data = Apply(current.Data, changes);
            var size = SessionDataSize.Of(data);
            if (size > limit)
            {
                throw new SessionDataTooLargeException(size, limit);
            }

            var next = current with { Data = data };
            if (await manager.Store.UpdateAsync(next, current.Version, cancellationToken).ConfigureAwait(false))
            {
                return next with { Version = current.Version + 1 };
            }

            current = null;
            if (attempt > 0)
            {
                var backoff = Math.Min(MaxBackoff.TotalMilliseconds, Math.Pow(2, Math.Min(attempt, 6)));
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * backoff), manager.Clock.Time, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new SessionStoreUnavailableException($"The session's data could not be saved: it changed {MaxAttempts} times while this save was retried.");
    }

    /// <summary>The data map <paramref name="data"/> with <paramref name="changes"/> applied (null value: remove).</summary>
    public static IReadOnlyDictionary<string, byte[]> Apply(IReadOnlyDictionary<string, byte[]> data, IReadOnlyDictionary<string, byte[]?> changes)
    {
        var next = new Dictionary<string, byte[]>(data.Count + changes.Count, StringComparer.Ordinal);
        foreach (var (k, v) in data)
        {
            next[k] = v;
        }

        foreach (var (k, v) in changes)
        {
            if (v is null)
            {
                next.Remove(k);
            }
            else
            {
                next[k] = v;
            }
        }

        return next.Count == 0 ? SessionDataSize.Empty : next;
    }
}
