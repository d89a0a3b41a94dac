using MongoDB.Bson;

namespace SessionKit.Testing.Mongo;

/// <summary>The peer's documents and indexes, per namespace, behind one lock: every command is atomic, as one document write is on a server.</summary>
public sealed class PeerStorage
{
    private readonly Dictionary<string, List<BsonDocument>> _collections = new(StringComparer.Ordinal);

    public Lock Sync { get; } = new();

    public Dictionary<string, List<BsonDocument>> Indexes { get; } = new(StringComparer.Ordinal);

    /// <summary>The documents of <paramref name="ns"/> (<c>db.collection</c>); take <see cref="Sync"/> around any use.</summary>
    public List<BsonDocument> Collection(string ns)
    {
        if (!_collections.TryGetValue(ns, out var documents))
        {
            documents = [];
            _collections[ns] = documents;
        }

        return documents;
    }

    /// <summary>A copy of the documents of <paramref name="ns"/>, taken under the lock.</summary>
    public List<BsonDocument> Snapshot(string ns)
    {
        lock (Sync)
        {
            return Collection(ns).Select(d => d.DeepClone().AsBsonDocument).ToList();
        }
    }
}
