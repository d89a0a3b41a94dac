namespace SessionKit.Mongo.Wire.Bson;

/// <summary>Malformed BSON: a length that disagrees with the bytes, an unknown type, invalid UTF-8, and so on.</summary>
internal sealed class BsonException : FormatException
{
    public BsonException(string message)
        : base(message)
    {
    }

    public BsonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BsonException()
    {
    }
}
