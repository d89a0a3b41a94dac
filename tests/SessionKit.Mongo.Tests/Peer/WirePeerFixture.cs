using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Driver;
using SessionKit.Testing.Mongo;

namespace SessionKit.Mongo.Tests.Peer;

/// <summary>
/// One peer per test class, acting as the primary of a one-member replica set "rs0" (so sessions and retryable writes
/// are in play), and one official client connected to it.
/// </summary>
public sealed class WirePeerFixture : IAsyncLifetime
{
    public WirePeer Peer { get; private set; } = null!;

    /// <summary>The official driver's client on the peer (database <c>app</c>).</summary>
    public MongoClient Client { get; private set; } = null!;

    /// <summary>The peer's connection string, database <c>app</c>, with short timeouts for tests.</summary>
    public string ConnectionString => Peer.ConnectionString("app", "serverSelectionTimeoutMS=5000&connectTimeoutMS=5000");

    public IMongoDatabase Database => Client.GetDatabase("app");

    public ValueTask InitializeAsync()
    {
        Peer = new WirePeer().AsReplicaSetPrimary();
        Client = new MongoClient(ConnectionString);
        return ValueTask.CompletedTask;
    }

    /// <summary>A store on the peer in collections of its own (their names in <paramref name="options"/>).</summary>
    internal MongoSessionStore NewStore(TimeProvider time, out MongoSessionStoreOptions options)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        options = new MongoSessionStoreOptions { CollectionName = "sessions_" + suffix, SubjectCollectionName = "subjects_" + suffix };
        return new MongoSessionStore(Database, options, time, NullLogger<MongoSessionStore>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Peer.DisposeAsync();
    }
}
