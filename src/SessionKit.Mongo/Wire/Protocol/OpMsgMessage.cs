using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Wire.Protocol;

/// <summary>
/// One OP_MSG (opCode 2013): the header ids, the flag bits, the single kind-0 body and any kind-1 document sequences.
/// </summary>
internal sealed record OpMsgMessage(int RequestId, int ResponseTo, OpMsgFlags Flags, BsonDocument Body, IReadOnlyList<OpMsgSequence> Sequences)
{
    public const int OpCode = 2013;
    public const int HeaderLength = 16;

    public OpMsgMessage(int requestId, BsonDocument body)
        : this(requestId, 0, OpMsgFlags.None, body, [])
    {
    }

    /// <summary>The body with each kind-1 sequence folded in as an array field, as a server reads the command.</summary>
    public BsonDocument MergedBody()
    {
        if (Sequences.Count == 0)
        {
            return Body;
        }

        var merged = new BsonDocument();
        foreach (var (name, value) in Body)
        {
            merged.Add(name, value);
        }

        foreach (var sequence in Sequences)
        {
            merged.Set(sequence.Identifier, new BsonArray(sequence.Documents));
        }

        return merged;
    }
}
