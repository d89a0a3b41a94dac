namespace SessionKit.Mongo.Wire.Bson;

/// <summary>BSON binary (0x05) with its subtype. For the old subtype 2 the inner length prefix is not part of <see cref="Data"/>.</summary>
internal sealed record BsonBinary(byte Subtype, ReadOnlyMemory<byte> Data)
{
    public const byte GenericSubtype = 0;
    public const byte OldBinarySubtype = 2;
    public const byte UuidSubtype = 4;

    public bool Equals(BsonBinary? other) => other is not null && Subtype == other.Subtype && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(Subtype, Data.Length);
}
