using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Wire.Connection;

/// <summary>
/// The server answered a command with an error: <c>ok: 0</c>, a write error or a write-concern error. Carries the
/// numeric code and error labels, which (not the message text) decide whether the client rediscovers the primary and
/// retries.
/// </summary>
internal sealed class MongoServerException : Exception
{
    // Reference section 5: "node is recovering" and "not writable primary" classes, and the pre-4.4 retryable codes.
    private static readonly HashSet<int> RecoveringCodes = [11600, 11602, 13436, 189, 91];
    private static readonly HashSet<int> NotPrimaryCodes = [10107, 13435, 10058];
    private static readonly HashSet<int> ShutdownCodes = [11600, 91];
    private static readonly HashSet<int> LegacyRetryableCodes = [11600, 11602, 10107, 13435, 13436, 189, 91, 7, 6, 89, 9001, 262];

    public MongoServerException(string message, int code, string? codeName, IReadOnlyList<string> errorLabels)
        : base(message)
    {
        Code = code;
        CodeName = codeName;
        ErrorLabels = errorLabels;
    }

    public MongoServerException()
        : this("The MongoDB server reported an error.", 0, null, [])
    {
    }

    public MongoServerException(string message)
        : this(message, 0, null, [])
    {
    }

    public MongoServerException(string message, Exception innerException)
        : base(message, innerException) => ErrorLabels = [];

    public int Code { get; }

    public string? CodeName { get; }

    public IReadOnlyList<string> ErrorLabels { get; }

    public const int DuplicateKey = 11000;

    /// <summary>Not primary, or recovering: the server is not (or no longer) the writable primary.</summary>
    public bool IsStateChange => Code != 0
        ? RecoveringCodes.Contains(Code) || NotPrimaryCodes.Contains(Code)
        : Message.Contains("not master", StringComparison.OrdinalIgnoreCase) || Message.Contains("node is recovering", StringComparison.OrdinalIgnoreCase);

    /// <summary>The server is shutting down: its pooled connections are useless and are cleared.</summary>
    public bool IsShutdown => ShutdownCodes.Contains(Code);

    /// <summary>Whether a retryable write may be retried once: the server's label (4.4+), or the legacy code list for older servers.</summary>
    public bool IsRetryableWriteError(int maxWireVersion)
        => ErrorLabels.Contains("RetryableWriteError") || (maxWireVersion < 9 && LegacyRetryableCodes.Contains(Code));

    /// <summary>Throws when a reply is not a success. Checks top-level ok, then writeErrors[0], then writeConcernError.</summary>
    public static void ThrowIfFailed(BsonDocument reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var labels = reply.GetArray("errorLabels")?.OfType<string>().ToArray() ?? [];
        if (!reply.TryGetNumber("ok", out var ok) || ok != 1)
        {
            throw From(reply, labels, "Command failed");
        }

        if (reply.GetArray("writeErrors") is { Count: > 0 } writeErrors && writeErrors[0] is BsonDocument writeError)
        {
            throw From(writeError, labels, "Write failed");
        }

        if (reply.GetDocument("writeConcernError") is { } writeConcernError)
        {
            throw From(writeConcernError, labels, "Write concern failed");
        }
    }

    private static MongoServerException From(BsonDocument error, string[] labels, string what)
    {
        var code = (int)error.GetInt64("code");
        var codeName = error.GetString("codeName");
        var message = error.GetString("errmsg") ?? "(no message)";
        return new MongoServerException($"{what}: {message} (code {code}{(codeName is null ? "" : " " + codeName)}).", code, codeName, labels);
    }
}
