namespace SessionKit.Mongo.Wire.Bson;

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
