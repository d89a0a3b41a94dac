namespace SessionKit;

/// <summary>
/// Session lifecycle callbacks, for audit logs or cache invalidation. Each runs after the store change succeeded;
/// an exception thrown by a callback propagates to the caller.
/// </summary>
public sealed class SessionEvents
{
    /// <summary>A session was created (sign-in).</summary>
    public Func<SessionEventContext, Task> OnCreated { get; set; } = static _ => Task.CompletedTask;

    /// <summary>A session's sliding expiry was extended (a coalesced touch was written).</summary>
    public Func<SessionEventContext, Task> OnRefreshed { get; set; } = static _ => Task.CompletedTask;

    /// <summary>A session was replaced by a new id; the context describes the new session.</summary>
    public Func<SessionEventContext, Task> OnRotated { get; set; } = static _ => Task.CompletedTask;

    /// <summary>A session was revoked; <see cref="SessionEventContext.Reason"/> says why.</summary>
    public Func<SessionEventContext, Task> OnRevoked { get; set; } = static _ => Task.CompletedTask;

    /// <summary>A request presented a session that had expired under the current policy; it was deleted.</summary>
    public Func<SessionEventContext, Task> OnExpired { get; set; } = static _ => Task.CompletedTask;
}
