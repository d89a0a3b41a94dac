using Microsoft.Extensions.Logging;

namespace SessionKit.Mongo;

/// <summary>
/// Every log message of SessionKit.Mongo. None carries a session id, token or credential: documents are named by the
/// first 8 characters of their already-hashed <c>_id</c>.
/// </summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(201, LogLevel.Information, "MongoDB session store indexes ensured on {Database}.{Collection} and {Database}.{SubjectCollection}.", EventName = "MongoIndexesEnsured")]
    public static partial void IndexesEnsured(this ILogger logger, string database, string collection, string subjectCollection);

    [LoggerMessage(202, LogLevel.Warning, "Creating the MongoDB session store indexes on {Database}.{Collection} failed; retrying in a minute. Sessions still expire on read.", EventName = "MongoIndexCreationFailed")]
    public static partial void IndexCreationFailed(this ILogger logger, string database, string collection, Exception exception);

    [LoggerMessage(203, LogLevel.Warning, "Releasing a per-subject lease failed; it runs out by itself.", EventName = "MongoSubjectLeaseReleaseFailed")]
    public static partial void SubjectLeaseReleaseFailed(this ILogger logger, Exception exception);

    [LoggerMessage(204, LogLevel.Warning, "A document in {Collection} ({Reference}) could not be decoded ({Problem}); it is treated as not found.", EventName = "MongoUndecodableDocument")]
    public static partial void UndecodableDocument(this ILogger logger, string collection, string reference, string problem);

    [LoggerMessage(205, LogLevel.Information, "An abandoned session creation ({Reference}) was taken back ({How}).", EventName = "MongoCreateAbandoned")]
    public static partial void CreateAbandoned(this ILogger logger, string reference, string how);

    [LoggerMessage(206, LogLevel.Warning, "Taking back an abandoned session creation ({Reference}) failed; if its insert reached the server, the session lives until it expires but nobody holds its id.", EventName = "MongoCreateAbandonFailed")]
    public static partial void CreateAbandonFailed(this ILogger logger, string reference, Exception exception);

    [LoggerMessage(207, LogLevel.Warning, "Deleted every session in the store ({Count} live sessions).", EventName = "MongoAllDeleted")]
    public static partial void AllDeleted(this ILogger logger, long count);
}
