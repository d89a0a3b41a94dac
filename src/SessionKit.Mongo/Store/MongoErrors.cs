using System.Net.Sockets;
using MongoDB.Driver;

namespace SessionKit.Mongo;

/// <summary>
/// The store's one error rule: which driver exceptions are infrastructure failures (the server cannot be reached or
/// cannot answer now — a 503 for the request), and how they are reported. Everything else propagates unchanged.
/// </summary>
internal static class MongoErrors
{
    private const int DuplicateKeyCode = 11000;

    // Server error codes that mean "not now, try again later": the ones the MongoDB retryability specifications list
    // (network errors seen by mongos, shutdowns, elections, server-side timeouts) plus write-concern timeouts.
    private static readonly HashSet<int> TransientCodes =
    [
        6,     // HostUnreachable
        7,     // HostNotFound
        50,    // MaxTimeMSExpired
        64,    // WriteConcernFailed (wtimeout)
        89,    // NetworkTimeout
        91,    // ShutdownInProgress
        134,   // ReadConcernMajorityNotAvailableYet
        189,   // PrimarySteppedDown
        262,   // ExceededTimeLimit
        9001,  // SocketException
        10107, // NotWritablePrimary
        11600, // InterruptedAtShutdown
        11602, // InterruptedDueToReplStateChange
        13435, // NotPrimaryNoSecondaryOk
        13436, // NotPrimaryOrSecondary
    ];

    /// <summary>Whether <paramref name="exception"/> says the server was unreachable, unready or too slow.</summary>
    public static bool IsInfrastructure(Exception exception) => exception switch
    {
        MongoDuplicateKeyException => false,
        MongoConnectionException or MongoConnectionPoolPausedException or MongoWaitQueueFullException => true,
        MongoNotPrimaryException or MongoNodeIsRecoveringException or MongoExecutionTimeoutException => true,
        MongoWriteConcernException => true,
        MongoCommandException command => IsTransient(command.Code) || command.HasErrorLabel("RetryableWriteError") || command.HasErrorLabel("TransientTransactionError"),
        MongoWriteException write => write.WriteError is null && write.WriteConcernError is not null,
        MongoBulkWriteException bulk => bulk.WriteErrors.Count == 0 && bulk.WriteConcernError is not null,
        TimeoutException or IOException or SocketException => true,
        _ => false,
    };

    /// <summary>Whether <paramref name="exception"/> is a duplicate key error (an <c>_id</c> already taken).</summary>
    public static bool IsDuplicateKey(Exception exception) => exception switch
    {
        MongoCommandException command => command.Code == DuplicateKeyCode,
        MongoWriteException write => write.WriteError?.Category == ServerErrorCategory.DuplicateKey,
        MongoBulkWriteException bulk => bulk.WriteErrors.Count > 0 && bulk.WriteErrors.All(e => e.Category == ServerErrorCategory.DuplicateKey),
        _ => false,
    };

    /// <summary>
    /// The exception requests fail closed with: names the servers and the cause, keeps the driver's exception inside.
    /// The driver never puts a password in its messages (it writes <c>&lt;hidden&gt;</c>); the known one is removed
    /// anyway in case a server message echoes it.
    /// </summary>
    public static SessionStoreUnavailableException Unavailable(string operation, string endpoint, Exception exception, string? password)
    {
        var cause = exception.Message;
        if (!string.IsNullOrEmpty(password))
        {
            cause = cause.Replace(password, "<hidden>", StringComparison.Ordinal);
        }

        return new SessionStoreUnavailableException($"MongoDB at {endpoint} could not serve '{operation}' ({exception.GetType().Name}): {cause}", exception);
    }

    private static bool IsTransient(int code) => TransientCodes.Contains(code);
}
