namespace SessionKit.Mongo.Wire.Bson;

/// <summary>BSON UTC datetime (0x09): milliseconds since the Unix epoch, the full int64 range kept exactly.</summary>
internal readonly record struct BsonDateTime(long Milliseconds)
{
    public static BsonDateTime From(DateTimeOffset value) => new(value.ToUnixTimeMilliseconds());

    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeMilliseconds(Milliseconds);
}
