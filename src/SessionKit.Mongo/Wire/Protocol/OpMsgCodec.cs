using System.Buffers.Binary;
using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Wire.Protocol;

/// <summary>Encodes and decodes whole OP_MSG frames (header included).</summary>
internal static class OpMsgCodec
{
    /// <summary>Flag bits 0-15 that a receiver must understand; any other bit in that range is an error.</summary>
    private const uint KnownRequiredFlags = (uint)(OpMsgFlags.ChecksumPresent | OpMsgFlags.MoreToCome);

    /// <summary>How far a command document may exceed maxBsonObjectSize (16 KiB), per the wire specification.</summary>
    private const int CommandOverhead = 16 * 1024;

    /// <summary>Encodes a frame; a document above <paramref name="maxBsonObjectSize"/> (the command body may exceed it by 16 KiB, as the server allows) is refused.</summary>
    public static byte[] Encode(OpMsgMessage message, int maxBsonObjectSize = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new BsonWriter(512);
        var lengthPosition = writer.ReserveLength();
        writer.WriteInt32(message.RequestId);
        writer.WriteInt32(message.ResponseTo);
        writer.WriteInt32(OpMsgMessage.OpCode);
        writer.WriteUInt32((uint)message.Flags);
        writer.WriteByte(0);
        var bodyStart = writer.Position;
        writer.WriteDocument(message.Body);
        CheckSize(writer.Position - bodyStart, maxBsonObjectSize == int.MaxValue ? int.MaxValue : maxBsonObjectSize + CommandOverhead, "command document");
        foreach (var sequence in message.Sequences)
        {
            writer.WriteByte(1);
            var sizePosition = writer.ReserveLength();
            writer.WriteCString(sequence.Identifier);
            foreach (var document in sequence.Documents)
            {
                var start = writer.Position;
                writer.WriteDocument(document);
                CheckSize(writer.Position - start, maxBsonObjectSize, "document");
            }

            writer.PatchLength(sizePosition);
        }

        var checksum = message.Flags.HasFlag(OpMsgFlags.ChecksumPresent);
        writer.WriteInt32At(lengthPosition, writer.Position + (checksum ? 4 : 0));
        if (checksum)
        {
            writer.WriteUInt32(Crc32C.Compute(writer.WrittenSpan));
        }

        return writer.ToArray();
    }

    private static void CheckSize(int size, int maximum, string what)
    {
        if (size > maximum)
        {
            throw new WireProtocolException($"A {what} of {size} bytes exceeds the server's maxBsonObjectSize limit ({maximum} bytes).");
        }
    }

    /// <summary>Decodes one complete frame; <paramref name="verifyChecksum"/> is off only for structural test vectors.</summary>
    public static OpMsgMessage Decode(ReadOnlySpan<byte> frame, bool verifyChecksum = true)
    {
        if (frame.Length < OpMsgMessage.HeaderLength + 4 + 1 + 5)
        {
            throw new WireProtocolException($"An OP_MSG frame of {frame.Length} bytes is too short.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(frame);
        if (length != frame.Length)
        {
            throw new WireProtocolException($"The frame announces {length} bytes but {frame.Length} were given.");
        }

        var requestId = BinaryPrimitives.ReadInt32LittleEndian(frame[4..]);
        var responseTo = BinaryPrimitives.ReadInt32LittleEndian(frame[8..]);
        var opCode = BinaryPrimitives.ReadInt32LittleEndian(frame[12..]);
        if (opCode != OpMsgMessage.OpCode)
        {
            throw new WireProtocolException($"Expected an OP_MSG (opCode 2013) but got opCode {opCode}; this client speaks OP_MSG only (MongoDB 3.6+), without compression.");
        }

        var flags = BinaryPrimitives.ReadUInt32LittleEndian(frame[16..]);
        if ((flags & 0xFFFF & ~KnownRequiredFlags) != 0)
        {
            throw new WireProtocolException($"The frame sets unknown required flag bits (0x{flags & 0xFFFF:x4}).");
        }

        var end = frame.Length;
        if ((flags & (uint)OpMsgFlags.ChecksumPresent) != 0)
        {
            end -= 4;
            var stored = BinaryPrimitives.ReadUInt32LittleEndian(frame[end..]);
            if (verifyChecksum && stored != Crc32C.Compute(frame[..end]))
            {
                throw new WireProtocolException("The OP_MSG checksum does not match its contents.");
            }
        }

        var (body, sequences) = DecodeSections(frame[..end], OpMsgMessage.HeaderLength + 4);
        return new OpMsgMessage(requestId, responseTo, (OpMsgFlags)flags, body, sequences);
    }

    private static (BsonDocument Body, List<OpMsgSequence> Sequences) DecodeSections(ReadOnlySpan<byte> frame, int position)
    {
        BsonDocument? body = null;
        var sequences = new List<OpMsgSequence>();
        try
        {
            while (position < frame.Length)
            {
                var kind = frame[position++];
                switch (kind)
                {
                    case 0:
                        if (body is not null)
                        {
                            throw new WireProtocolException("An OP_MSG has more than one kind-0 section.");
                        }

                        body = BsonReader.ReadDocument(frame, ref position, 0);
                        break;
                    case 1:
                        var sequence = DecodeSequence(frame, ref position);
                        if (sequences.Exists(s => string.Equals(s.Identifier, sequence.Identifier, StringComparison.Ordinal)))
                        {
                            throw new WireProtocolException($"The document sequence \"{sequence.Identifier}\" appears twice.");
                        }

                        sequences.Add(sequence);
                        break;
                    default:
                        throw new WireProtocolException($"Unknown OP_MSG section kind {kind}.");
                }
            }
        }
        catch (BsonException e)
        {
            throw new WireProtocolException("An OP_MSG section holds malformed BSON: " + e.Message, e);
        }

        return (body ?? throw new WireProtocolException("An OP_MSG has no kind-0 section."), sequences);
    }

    private static OpMsgSequence DecodeSequence(ReadOnlySpan<byte> frame, ref int position)
    {
        if (frame.Length - position < 4)
        {
            throw new WireProtocolException("A kind-1 section is truncated before its size.");
        }

        var size = BinaryPrimitives.ReadInt32LittleEndian(frame[position..]);
        if (size < 5 || size > frame.Length - position)
        {
            throw new WireProtocolException($"A kind-1 section size of {size} does not fit the frame.");
        }

        var end = position + size;
        position += 4;
        var section = frame[..end];
        var terminator = section[position..].IndexOf((byte)0);
        if (terminator < 0)
        {
            throw new WireProtocolException("A kind-1 section identifier is not NUL-terminated.");
        }

        var identifier = System.Text.Encoding.UTF8.GetString(section.Slice(position, terminator));
        position += terminator + 1;
        var documents = new List<BsonDocument>();
        while (position < end)
        {
            documents.Add(BsonReader.ReadDocument(section, ref position, 0));
        }

        return new OpMsgSequence(identifier, documents);
    }
}
