using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Tests.Peer;

/// <summary>A misbehaviour the peer performs instead of (or around) a normal reply.</summary>
internal abstract record PeerFault
{
    /// <summary>Writes half of the reply, then closes the socket.</summary>
    public sealed record CloseMidReply : PeerFault;

    /// <summary>Announces fewer bytes in the header than the reply carries (the body runs past the frame).</summary>
    public sealed record ReplyLargerThanAnnounced : PeerFault;

    /// <summary>Answers with a responseTo that is not the request's id.</summary>
    public sealed record WrongResponseTo : PeerFault;

    /// <summary>Never answers (the client's socket timeout must fire).</summary>
    public sealed record Silence : PeerFault;

    /// <summary>Answers with this document instead of running the command.</summary>
    public sealed record Reply(BsonDocument Document) : PeerFault;

    public static BsonDocument NotWritablePrimary() => new BsonDocument()
        .Add("ok", 0.0).Add("errmsg", "not primary").Add("code", 10107).Add("codeName", "NotWritablePrimary")
        .Add("errorLabels", new BsonArray { "RetryableWriteError" });
}
