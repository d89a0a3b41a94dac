using Microsoft.Extensions.Logging;

namespace SessionKit.Redis;

/// <summary>
/// Every log message of SessionKit.Redis. None takes a session id, a subject or a credential; records are named by a
/// short prefix of their hashed key, servers by <c>host:port</c>.
/// </summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(101, LogLevel.Warning, "Session record {SessionRef} could not be decoded (another release's format, or a hand-edited value) and is treated as missing.", EventName = "RedisUnreadableRecord")]
    public static partial void UnreadableRecord(this ILogger logger, string sessionRef);

    [LoggerMessage(102, LogLevel.Warning, "Deleted every session under the store's key prefix ({Count} sessions).", EventName = "RedisAllDeleted")]
    public static partial void AllDeleted(this ILogger logger, long count);

    [LoggerMessage(103, LogLevel.Warning, "Could not subscribe to the revocation channel; the local cache stays empty until it can. Retrying.", EventName = "RedisChangeFeedSubscribeFailed")]
    public static partial void ChangeFeedSubscribeFailed(this ILogger logger, Exception exception);

    [LoggerMessage(104, LogLevel.Warning, "Redis connection to {Server} ({ConnectionType}) failed: {Cause}. Session store calls fail closed (503) until it is back; the client keeps reconnecting.", EventName = "RedisConnectionFailed")]
    public static partial void ConnectionFailed(this ILogger logger, string server, string connectionType, string cause);

    [LoggerMessage(105, LogLevel.Information, "Redis connection to {Server} restored.", EventName = "RedisConnectionRestored")]
    public static partial void ConnectionRestored(this ILogger logger, string server);

    [LoggerMessage(106, LogLevel.Debug, "A session create abandoned by its caller was undone (a session was stored: {Stored}).", EventName = "RedisAbandonedCreateCompensated")]
    public static partial void AbandonedCreateCompensated(this ILogger logger, bool stored);

    [LoggerMessage(107, LogLevel.Warning, "A session create abandoned by its caller could not be undone; the session it may have stored stays until it expires.", EventName = "RedisAbandonedCreateNotCompensated")]
    public static partial void AbandonedCreateNotCompensated(this ILogger logger, Exception exception);

    [LoggerMessage(108, LogLevel.Warning, "Redis {Server} has maxmemory-policy '{Policy}' with maxmemory set: under memory pressure it can evict SessionKit's keys (every one carries a TTL), dropping a subject's index apart from its sessions, so revoking a user may miss sessions. Use 'noeviction'.", EventName = "RedisEvictionPolicy")]
    public static partial void EvictionPolicyUnsafe(this ILogger logger, string server, string policy);

    [LoggerMessage(109, LogLevel.Information, "Could not check the maxmemory-policy of Redis {Server}: {Reason}. SessionKit needs 'noeviction' (see the SessionKit.Redis README).", EventName = "RedisEvictionPolicyUnchecked")]
    public static partial void EvictionPolicyUnchecked(this ILogger logger, string server, string reason);

    [LoggerMessage(110, LogLevel.Warning, "Could not ask other instances to confirm a change; waiting the full confirmation bound instead.", EventName = "RedisConfirmationRequestFailed")]
    public static partial void ConfirmationRequestFailed(this ILogger logger, Exception exception);

    [LoggerMessage(111, LogLevel.Warning, "A change was confirmed by {Acknowledged} of {Receivers} listening instances within {BoundMs} ms; the others no longer trust their caches.", EventName = "RedisChangeUnconfirmed")]
    public static partial void ChangeUnconfirmed(this ILogger logger, long receivers, long acknowledged, long boundMs);
}
