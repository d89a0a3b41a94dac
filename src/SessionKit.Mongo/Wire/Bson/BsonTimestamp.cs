namespace SessionKit.Mongo.Wire.Bson;

/// <summary>BSON timestamp (0x11): the server's internal replication clock (seen in replies, e.g. <c>$clusterTime</c>).</summary>
internal readonly record struct BsonTimestamp(uint Seconds, uint Increment);
