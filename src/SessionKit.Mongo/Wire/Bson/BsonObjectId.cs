namespace SessionKit.Mongo.Wire.Bson;

/// <summary>BSON ObjectId (0x07): 12 bytes.</summary>
internal sealed record BsonObjectId(ReadOnlyMemory<byte> Bytes)
{
    public bool Equals(BsonObjectId? other) => other is not null && Bytes.Span.SequenceEqual(other.Bytes.Span);

    public override int GetHashCode() => Convert.ToHexString(Bytes.Span).GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Convert.ToHexStringLower(Bytes.Span);
}
