using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Tests.Peer;

/// <summary>The peer's documents, per namespace, behind one lock: every command is atomic, as on a real server.</summary>
internal sealed class PeerStorage
{
    private readonly Dictionary<string, List<BsonDocument>> _collections = new(StringComparer.Ordinal);

    public Lock Sync { get; } = new();

    public List<BsonDocument> Collection(string ns)
    {
        if (!_collections.TryGetValue(ns, out var documents))
        {
            documents = [];
            _collections[ns] = documents;
        }

        return documents;
    }

    public Dictionary<string, List<BsonDocument>> Indexes { get; } = new(StringComparer.Ordinal);
}
