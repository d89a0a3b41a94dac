using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Tests.Wire;

/// <summary>The BSON codec with the project's own small vectors, written from the format's rules (little-endian, length-prefixed, NUL-terminated).</summary>
public sealed class BsonTests
{
    [Fact]
    public void A_document_with_each_supported_type_encodes_to_the_expected_bytes_and_back()
    {
        var document = new BsonDocument()
            .Add("d", 1.5).Add("s", "é").Add("o", new BsonDocument().Add("i", 7)).Add("a", new BsonArray { true, null })
            .Add("b", new BsonBinary(4, new byte[] { 1, 2 })).Add("t", new BsonDateTime(1000)).Add("l", 5L).Add("ts", new BsonTimestamp(1, 2));

        var bytes = BsonWriter.Encode(document);

        const string expected =
            "64000000" + "016400" + "000000000000f83f" + "027300" + "03000000c3a900" + "036f00" + "0c000000" + "106900" + "07000000" + "00"
            + "046100" + "0c000000" + "083000" + "01" + "0a3100" + "00" + "056200" + "02000000" + "04" + "0102" + "097400" + "e803000000000000"
            + "126c00" + "0500000000000000" + "11747300" + "02000000" + "01000000" + "00";
        Assert.Equal(expected, Convert.ToHexStringLower(bytes));
        var decoded = BsonReader.Decode(bytes);
        Assert.Equal(bytes, BsonWriter.Encode(decoded));
        Assert.Equal("é", decoded["s"]);
        Assert.Equal(new BsonTimestamp(1, 2), decoded["ts"]);
    }

    [Fact]
    public void A_document_that_outgrows_the_initial_buffer_encodes_correctly()
    {
        var document = new BsonDocument().Add("first", "x");
        for (var i = 0; i < 50; i++)
        {
            document.Add("k" + i, new string('v', i * 7));
        }

        var decoded = BsonReader.Decode(BsonWriter.Encode(document));

        Assert.Equal(51, decoded.Count);
        Assert.Equal(new string('v', 49 * 7), decoded["k49"]);
    }

    [Theory]
    [InlineData("0500000000ff", "trailing bytes")]
    [InlineData("0600000008610002", "a boolean of 2, and no terminator")]
    [InlineData("0c0000000261000300000061620000", "string length shorter than the bytes")]
    [InlineData("0a000000136100000000", "an unsupported type (decimal128)")]
    [InlineData("0c00000002610001000000ff0000", "a string that is not NUL-terminated where announced")]
    [InlineData("0d000000026100020000008000", "invalid UTF-8")]
    public void Malformed_bson_is_rejected_with_a_bson_exception(string hex, string why)
    {
        Assert.NotNull(why);
        Assert.Throws<BsonException>(() => BsonReader.Decode(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        var document = new BsonDocument();
        var inner = document;
        for (var i = 0; i < BsonReader.MaxDepth + 5; i++)
        {
            var next = new BsonDocument();
            inner.Add("x", next);
            inner = next;
        }

        Assert.Throws<BsonException>(() => BsonReader.Decode(BsonWriter.Encode(document)));
    }

    [Fact]
    public void Keys_with_nul_are_refused_on_encode()
        => Assert.Throws<BsonException>(() => BsonWriter.Encode(new BsonDocument().Add("a\0b", 1)));
}
