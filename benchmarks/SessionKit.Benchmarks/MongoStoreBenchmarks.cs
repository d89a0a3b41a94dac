using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using SessionKit.Mongo;
using SessionKit.Mongo.Tests.Peer;

namespace SessionKit.Benchmarks;

/// <summary>
/// The MongoDB store's operations through its own wire client, over loopback TCP, against the in-process wire peer the
/// store's tests use (no MongoDB server can be installed here). What this measures is the client side — BSON, OP_MSG,
/// the pool, the round trip — plus the peer's own (small, in-memory) work, which runs in this process and is therefore
/// included in the times and allocations: an upper bound on the client's cost, not a MongoDB server figure.
/// </summary>
public class MongoStoreBenchmarks : SessionStoreBenchmarks
{
    private WirePeer _peer = null!;
    private MongoSessionStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        _peer = new WirePeer().AsReplicaSetPrimary();
        var options = new MongoSessionStoreOptions
        {
            ConnectionString = $"mongodb://{_peer.Address}/app?replicaSet=rs0&connectTimeoutMS=5000&socketTimeoutMS=10000&serverSelectionTimeoutMS=5000",
        };
        Store = _store = new MongoSessionStore(MongoStoreSettings.From(options), TimeProvider.System, NullLogger<MongoSessionStore>.Instance);
        CreateBenchmarkSession();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _peer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "create (new user) then delete it")]
    public async Task<bool> CreateAndDelete()
    {
        var session = RedisBenchmarkData.NewSession(NextSubject("c"));
        await Store.CreateAsync(session, 0, CancellationToken.None).ConfigureAwait(false);
        return await Store.DeleteAsync(session.Key, CancellationToken.None).ConfigureAwait(false);
    }
}
