using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Wire.Protocol;

/// <summary>A kind-1 section: an identifier (<c>documents</c>, <c>updates</c>, <c>deletes</c>) and the documents it carries.</summary>
internal sealed record OpMsgSequence(string Identifier, IReadOnlyList<BsonDocument> Documents);
