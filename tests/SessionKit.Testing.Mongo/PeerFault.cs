using MongoDB.Bson;

namespace SessionKit.Testing.Mongo;

/// <summary>A misbehaviour the peer performs instead of (or around) its normal answer to one command.</summary>
public abstract record PeerFault
{
    /// <summary>Never answers (the client's timeout or the caller's cancellation must end the wait).</summary>
    public sealed record Silence : PeerFault;

    /// <summary>Runs the command, then closes the connection without answering (a reply lost to the network).</summary>
    public sealed record CloseAfterRunning : PeerFault;

    /// <summary>
    /// Waits, then runs the command and answers (a slow server: the command lands after the caller may have given up).
    /// <paramref name="Ran"/>, when given, completes once the command has run.
    /// </summary>
    public sealed record Delay(TimeSpan Duration, TaskCompletionSource? Ran = null) : PeerFault;

    /// <summary>Runs the command at once, then waits before answering (the change is made; the reply is late).</summary>
    public sealed record DelayReply(TimeSpan Duration) : PeerFault;

    /// <summary>Answers with this document instead of running the command.</summary>
    public sealed record Reply(BsonDocument Document) : PeerFault;

    /// <summary>The error a replica-set member that stepped down answers a write with.</summary>
    public static BsonDocument NotWritablePrimary() => new()
    {
        { "ok", 0.0 },
        { "errmsg", "not primary" },
        { "code", 10107 },
        { "codeName", "NotWritablePrimary" },
        { "errorLabels", new BsonArray { "RetryableWriteError" } },
    };
}
