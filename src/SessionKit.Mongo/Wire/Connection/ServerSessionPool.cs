using System.Collections.Concurrent;

namespace SessionKit.Mongo.Wire.Connection;

/// <summary>
/// Implicit sessions, one per operation at a time: a session is never shared by concurrent operations (the server
/// would reject an out-of-order txnNumber), and sessions close to the server's idle timeout are dropped.
/// </summary>
internal sealed class ServerSessionPool
{
    private readonly ConcurrentStack<ServerSession> _sessions = new();

    public ServerSession Acquire(int? timeoutMinutes)
    {
        while (_sessions.TryPop(out var session))
        {
            if (timeoutMinutes is not { } minutes || DateTime.UtcNow - session.LastUsedUtc < TimeSpan.FromMinutes(minutes - 1))
            {
                return session;
            }
        }

        return new ServerSession();
    }

    public void Release(ServerSession session)
    {
        if (session.IsDirty)
        {
            return;
        }

        session.LastUsedUtc = DateTime.UtcNow;
        _sessions.Push(session);
    }

    /// <summary>Takes every pooled session, for <c>endSessions</c> at shutdown.</summary>
    public IReadOnlyList<ServerSession> Drain()
    {
        var all = new List<ServerSession>();
        while (_sessions.TryPop(out var session))
        {
            all.Add(session);
        }

        return all;
    }
}
