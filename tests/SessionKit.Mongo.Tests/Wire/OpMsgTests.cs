using System.Buffers.Binary;
using SessionKit.Mongo.Wire.Bson;
using SessionKit.Mongo.Wire.Protocol;

namespace SessionKit.Mongo.Tests.Wire;

/// <summary>OP_MSG framing with the project's own vectors, built from the wire format's rules.</summary>
public sealed class OpMsgTests
{
    [Fact]
    public void Crc32c_has_the_standard_check_value()
        => Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    [Fact]
    public void A_message_with_a_kind_1_sequence_has_the_documented_layout_and_decodes_back()
    {
        var message = new OpMsgMessage(7, 0, OpMsgFlags.None, new BsonDocument().Add("insert", "c").Add("$db", "d"),
            [new OpMsgSequence("documents", [new BsonDocument().Add("_id", 1), new BsonDocument().Add("_id", 2)])]);

        var frame = OpMsgCodec.Encode(message);

        Assert.Equal(frame.Length, BinaryPrimitives.ReadInt32LittleEndian(frame));
        Assert.Equal(7, BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(4)));
        Assert.Equal(2013, BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(12)));
        Assert.Equal(0, frame[20]);
        var bodyLength = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(21));
        Assert.Equal(1, frame[21 + bodyLength]);
        var sequenceSize = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(22 + bodyLength));
        Assert.Equal(frame.Length - 22 - bodyLength, sequenceSize);
        Assert.Equal("documents\0"u8.ToArray(), frame.AsSpan(26 + bodyLength, 10).ToArray());
        var decoded = OpMsgCodec.Decode(frame);
        Assert.Equal(2, decoded.Sequences.Single().Documents.Count);
        Assert.Equal(2, decoded.MergedBody().GetArray("documents")!.Count);
    }

    [Fact]
    public void A_checksummed_message_verifies_and_a_flipped_byte_is_refused()
    {
        var frame = OpMsgCodec.Encode(new OpMsgMessage(1, 0, OpMsgFlags.ChecksumPresent, new BsonDocument().Add("ping", 1), []));

        Assert.Equal(Crc32C.Compute(frame.AsSpan(0, frame.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(frame.Length - 4)));
        Assert.Equal(1, (int)OpMsgCodec.Decode(frame).Body["ping"]!);
        frame[25] ^= 0x01;
        Assert.Throws<WireProtocolException>(() => OpMsgCodec.Decode(frame));
    }

    [Theory]
    [InlineData("unknown section kind")]
    [InlineData("unknown required flag")]
    [InlineData("two kind-0 sections")]
    [InlineData("no kind-0 section")]
    [InlineData("wrong opCode")]
    [InlineData("length disagrees")]
    public void Malformed_frames_are_refused(string defect)
    {
        var body = BsonWriter.Encode(new BsonDocument().Add("ok", 1.0));
        var frame = defect switch
        {
            "unknown section kind" => Frame(0, [0, .. body, 2, .. body]),
            "unknown required flag" => Frame(0x4, [0, .. body]),
            "two kind-0 sections" => Frame(0, [0, .. body, 0, .. body]),
            "no kind-0 section" => Frame(0, [1, 5 + 2, 0, 0, 0, (byte)'x', 0]),
            "wrong opCode" => WithInt(Frame(0, [0, .. body]), 12, 1),
            _ => WithInt(Frame(0, [0, .. body]), 0, 999),
        };

        Assert.Throws<WireProtocolException>(() => OpMsgCodec.Decode(frame));
    }

    [Fact]
    public void A_document_above_the_servers_maximum_object_size_is_refused_before_sending()
    {
        var message = new OpMsgMessage(1, 0, OpMsgFlags.None, new BsonDocument().Add("insert", "c"),
            [new OpMsgSequence("documents", [new BsonDocument().Add("big", new string('x', 2000))])]);

        Assert.Throws<WireProtocolException>(() => OpMsgCodec.Encode(message, maxBsonObjectSize: 1000));
        Assert.NotEmpty(OpMsgCodec.Encode(message, maxBsonObjectSize: 4000));
    }

    [Fact]
    public void Unknown_optional_flag_bits_are_ignored()
        => Assert.NotNull(OpMsgCodec.Decode(Frame(1u << 20, [0, .. BsonWriter.Encode(new BsonDocument().Add("ok", 1.0))])));

    private static byte[] Frame(uint flags, byte[] sections)
    {
        var frame = new byte[20 + sections.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), 1);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(12), 2013);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(16), flags);
        sections.CopyTo(frame, 20);
        return frame;
    }

    private static byte[] WithInt(byte[] frame, int offset, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(offset), value);
        return frame;
    }
}
