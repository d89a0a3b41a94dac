using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Driver;
using SessionKit.Mongo;
using SessionKit.Testing.Mongo;

namespace SessionKit.Benchmarks;

/// <summary>
/// The MongoDB store's operations through the official driver, over loopback TCP, against the in-process wire peer the
/// store's tests use (a replica-set primary, so the driver sends sessions and retryable writes as it would to a real
/// deployment). What this measures is the client side — the store, the driver, BSON, the round trip — plus the peer's
/// own (small, in-memory) work, which runs in this process and is therefore included in the times and allocations: an
/// upper bound on the client's cost, not a MongoDB server figure.
/// </summary>
public class MongoStoreBenchmarks : SessionStoreBenchmarks
{
    private WirePeer _peer = null!;
    private MongoClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _peer = new WirePeer().AsReplicaSetPrimary();
        _client = new MongoClient(_peer.ConnectionString("app", "serverSelectionTimeoutMS=5000"));
        Store = new MongoSessionStore(_client.GetDatabase("app"), new MongoSessionStoreOptions(), TimeProvider.System, NullLogger<MongoSessionStore>.Instance);
        CreateBenchmarkSession();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
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
