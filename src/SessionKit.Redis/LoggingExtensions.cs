using Microsoft.Extensions.Logging;

namespace SessionKit.Redis;

/// <summary>Every log message of SessionKit.Redis. None takes a session id; records are named by partition only.</summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(101, LogLevel.Warning, "A session record in subject partition {Partition} could not be decoded and is treated as missing.", EventName = "RedisUnreadableRecord")]
    public static partial void UnreadableRecord(this ILogger logger, string partition);

    [LoggerMessage(102, LogLevel.Warning, "Deleted every session under the store's key prefix ({Count} sessions).", EventName = "RedisAllDeleted")]
    public static partial void AllDeleted(this ILogger logger, long count);

    [LoggerMessage(103, LogLevel.Warning, "Could not subscribe to the revocation channel; the local cache stays empty until it can. Retrying.", EventName = "RedisChangeFeedSubscribeFailed")]
    public static partial void ChangeFeedSubscribeFailed(this ILogger logger, Exception exception);

    [LoggerMessage(104, LogLevel.Warning, "Could not ask other instances to confirm a change; waiting the full confirmation bound instead.", EventName = "RedisConfirmationRequestFailed")]
    public static partial void ConfirmationRequestFailed(this ILogger logger, Exception exception);

    [LoggerMessage(105, LogLevel.Warning, "A change was confirmed by {Acknowledged} of {Receivers} listening instances within {BoundMs} ms; the others no longer trust their caches.", EventName = "RedisChangeUnconfirmed")]
    public static partial void ChangeUnconfirmed(this ILogger logger, long receivers, long acknowledged, long boundMs);
}
