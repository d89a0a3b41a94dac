using System.Buffers.Binary;
using System.Text;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace SessionKit.Testing.Mongo;

/// <summary>
/// The peer's side of the wire protocol's framing: OP_MSG (every command once connected) and the legacy OP_QUERY the
/// official driver still sends for its first handshake and authentication, answered with OP_REPLY. BSON itself is the
/// official MongoDB.Bson's.
/// </summary>
/// <param name="RequestId">The request's id, which the reply names in responseTo.</param>
/// <param name="OpCode">2013 (OP_MSG) or 2004 (OP_QUERY).</param>
/// <param name="Command">The command: the OP_MSG body with its document sequences merged in as arrays, or the OP_QUERY query.</param>
public sealed record WireMessage(int RequestId, int OpCode, BsonDocument Command)
{
    public const int OpReply = 1;
    public const int OpQuery = 2004;
    public const int OpMsg = 2013;
    private const int ChecksumPresent = 1;

    public static WireMessage Decode(byte[] frame)
    {
        var requestId = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(4));
        var opCode = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(12));
        return opCode switch
        {
            OpMsg => new WireMessage(requestId, opCode, DecodeMsg(frame)),
            OpQuery => new WireMessage(requestId, opCode, DecodeQuery(frame)),
            _ => throw new NotSupportedException($"The test peer does not speak opcode {opCode}."),
        };
    }

    /// <summary>The reply frame in the form the request expects (OP_REPLY to OP_QUERY, OP_MSG to OP_MSG).</summary>
    public byte[] EncodeReply(BsonDocument reply)
    {
        var body = reply.ToBson();
        var prefix = OpCode == OpQuery ? 4 + 8 + 4 + 4 : 4 + 1;
        var frame = new byte[16 + prefix + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), Random.Shared.Next());
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(8), RequestId);
        if (OpCode == OpQuery)
        {
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(12), OpReply);
            // responseFlags 0, cursorId 0, startingFrom 0, numberReturned 1.
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(16 + 4 + 8 + 4), 1);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(12), OpMsg);
            // flagBits 0, then section kind 0 (the body).
        }

        body.CopyTo(frame, 16 + prefix);
        return frame;
    }

    private static BsonDocument DecodeMsg(byte[] frame)
    {
        var flags = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(16));
        var end = frame.Length - ((flags & ChecksumPresent) != 0 ? 4 : 0);
        var position = 20;
        BsonDocument? body = null;
        var sequences = new List<(string Name, BsonArray Documents)>();
        while (position < end)
        {
            var kind = frame[position++];
            if (kind == 0)
            {
                body = ReadDocument(frame, ref position);
            }
            else if (kind == 1)
            {
                var sectionEnd = position + BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(position));
                position += 4;
                var nameEnd = Array.IndexOf(frame, (byte)0, position);
                var name = Encoding.UTF8.GetString(frame, position, nameEnd - position);
                position = nameEnd + 1;
                var documents = new BsonArray();
                while (position < sectionEnd)
                {
                    documents.Add(ReadDocument(frame, ref position));
                }

                sequences.Add((name, documents));
            }
            else
            {
                throw new NotSupportedException($"Unknown OP_MSG section kind {kind}.");
            }
        }

        if (body is null)
        {
            throw new NotSupportedException("An OP_MSG without a body section.");
        }

        foreach (var (name, documents) in sequences)
        {
            body[name] = documents;
        }

        return body;
    }

    private static BsonDocument DecodeQuery(byte[] frame)
    {
        // flags, fullCollectionName (a command namespace "db.$cmd"), numberToSkip, numberToReturn, query.
        var position = 20;
        var nameEnd = Array.IndexOf(frame, (byte)0, position);
        var collection = Encoding.UTF8.GetString(frame, position, nameEnd - position);
        if (!collection.EndsWith(".$cmd", StringComparison.Ordinal))
        {
            throw new NotSupportedException("The test peer answers OP_QUERY commands only, not " + collection + ".");
        }

        position = nameEnd + 1 + 8;
        var query = ReadDocument(frame, ref position);
        if (query.TryGetValue("$query", out var wrapped))
        {
            query = wrapped.AsBsonDocument;
        }

        query["$db"] = collection[..^".$cmd".Length];
        return query;
    }

    private static BsonDocument ReadDocument(byte[] frame, ref int position)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(position));
        var document = BsonSerializer.Deserialize<BsonDocument>(frame.AsSpan(position, length).ToArray());
        position += length;
        return document;
    }
}
