using Microsoft.Extensions.Logging;

namespace SessionKit.Mongo;

/// <summary>Every log message of SessionKit.Mongo. None carries a session key, token or credential.</summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(1, LogLevel.Information, "MongoDB session store indexes ensured on {Database}.{Collection}.", EventName = "MongoIndexesEnsured")]
    public static partial void IndexesEnsured(this ILogger logger, string database, string collection);

    [LoggerMessage(2, LogLevel.Warning, "Creating the MongoDB session store indexes on {Database}.{Collection} failed; will retry. Sessions still expire on read.", EventName = "MongoIndexCreationFailed")]
    public static partial void IndexCreationFailed(this ILogger logger, string database, string collection, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Releasing a per-subject lock failed; it expires by itself after its lease.", EventName = "MongoSubjectLockReleaseFailed")]
    public static partial void SubjectLockReleaseFailed(this ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "MongoDB primary is {EndPoint}.", EventName = "MongoPrimaryDiscovered")]
    public static partial void PrimaryDiscovered(this ILogger logger, string endPoint);

    [LoggerMessage(5, LogLevel.Warning, "MongoDB server {EndPoint} failed a command ({Reason}); rediscovering the primary.", EventName = "MongoServerMarkedUnknown")]
    public static partial void ServerMarkedUnknown(this ILogger logger, string endPoint, string reason);

    [LoggerMessage(6, LogLevel.Warning, "A session document in {Collection} does not have the expected shape ({Problem}); it is treated as not found.", EventName = "MongoCorruptSessionDocument")]
    public static partial void CorruptSessionDocument(this ILogger logger, string collection, string problem);
}
