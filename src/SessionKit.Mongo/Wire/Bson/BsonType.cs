namespace SessionKit.Mongo.Wire.Bson;

/// <summary>
/// The BSON element type bytes this client reads and writes (everything a session document or a command reply needs).
/// In memory: double, string, bool, int (int32), long (int64) and null are plain CLR values; documents are
/// <see cref="BsonDocument"/>, arrays <see cref="BsonArray"/>, and the rest <see cref="BsonBinary"/>,
/// <see cref="BsonObjectId"/>, <see cref="BsonDateTime"/> and <see cref="BsonTimestamp"/>.
/// </summary>
internal enum BsonType : byte
{
    Double = 0x01,
    String = 0x02,
    Document = 0x03,
    Array = 0x04,
    Binary = 0x05,
    ObjectId = 0x07,
    Boolean = 0x08,
    DateTime = 0x09,
    Null = 0x0A,
    Int32 = 0x10,
    Timestamp = 0x11,
    Int64 = 0x12,
}
