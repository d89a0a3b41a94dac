namespace SessionKit.Mongo.Wire.Bson;

// The BSON values that are not plain CLR values. Plain ones map as: double, string, bool, int (int32),
// long (int64), null, BsonDocument (embedded document) and BsonArray (array).

/// <summary>BSON UTC datetime (0x09): milliseconds since the Unix epoch, the full int64 range kept exactly.</summary>
internal readonly record struct BsonDateTime(long Milliseconds)
{
    public static BsonDateTime From(DateTimeOffset value) => new(value.ToUnixTimeMilliseconds());

    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeMilliseconds(Milliseconds);
}

/// <summary>BSON timestamp (0x11): the server's internal replication clock (seen in replies, e.g. <c>$clusterTime</c>).</summary>
internal readonly record struct BsonTimestamp(uint Seconds, uint Increment);

/// <summary>BSON ObjectId (0x07): 12 bytes.</summary>
internal sealed record BsonObjectId(ReadOnlyMemory<byte> Bytes)
{
    public bool Equals(BsonObjectId? other) => other is not null && Bytes.Span.SequenceEqual(other.Bytes.Span);

    public override int GetHashCode() => Convert.ToHexString(Bytes.Span).GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Convert.ToHexStringLower(Bytes.Span);
}

/// <summary>BSON binary (0x05) with its subtype. For the old subtype 2 the inner length prefix is not part of <see cref="Data"/>.</summary>
internal sealed record BsonBinary(byte Subtype, ReadOnlyMemory<byte> Data)
{
    public const byte GenericSubtype = 0;
    public const byte OldBinarySubtype = 2;
    public const byte UuidSubtype = 4;

    public bool Equals(BsonBinary? other) => other is not null && Subtype == other.Subtype && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(Subtype, Data.Length);
}

/// <summary>A BSON array (0x04): its keys are "0", "1", … on the wire.</summary>
internal sealed class BsonArray : List<object?>
{
    public BsonArray()
    {
    }

    public BsonArray(IEnumerable<object?> items)
        : base(items)
    {
    }
}
