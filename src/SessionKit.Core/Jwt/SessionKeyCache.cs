using System.Collections.Concurrent;

namespace SessionKit.Jwt;

/// <summary>
/// Remembers the store keys of session ids taken from tokens that passed their signature check and named a live
/// session, so that the SHA-256 of the id (it costs about as much as a fifth of the whole token validation) is not
/// recomputed on every request of the same client. A pure memo: a miss, or an evicted entry, only costs the hash again.
/// </summary>
/// <remarks>
/// Only authentic ids get in (a forged token never reaches the cache), and the size is bounded: when full, the cache
/// is emptied and refills with the ids in use. It holds ids the process already had in memory for their requests.
/// </remarks>
internal sealed class SessionKeyCache(int capacity)
{
    private readonly ConcurrentDictionary<string, SessionKey> _keys = new(StringComparer.Ordinal);
    private int _count;

    public bool TryGet(string sessionId, out SessionKey key) => _keys.TryGetValue(sessionId, out key);

    public void Add(string sessionId, SessionKey key)
    {
        if (Volatile.Read(ref _count) >= capacity)
        {
            _keys.Clear();
            Interlocked.Exchange(ref _count, 0);
        }

        if (_keys.TryAdd(sessionId, key))
        {
            Interlocked.Increment(ref _count);
        }
    }

    public void Remove(string sessionId)
    {
        if (_keys.TryRemove(sessionId, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
