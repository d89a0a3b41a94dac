using System.Globalization;
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
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class MongoStoreBenchmarks
{
    private WirePeer _peer = null!;
    private MongoSessionStore _store = null!;
    private SessionRecord _session = null!;
    private int _counter;

    [GlobalSetup]
    public void Setup()
    {
        _peer = new WirePeer().AsReplicaSetPrimary();
        var options = new MongoSessionStoreOptions
        {
            ConnectionString = $"mongodb://{_peer.Address}/app?replicaSet=rs0&connectTimeoutMS=5000&socketTimeoutMS=10000&serverSelectionTimeoutMS=5000",
        };
        _store = new MongoSessionStore(MongoStoreSettings.From(options), TimeProvider.System, NullLogger<MongoSessionStore>.Instance);
        _session = RedisBenchmarkData.NewSession("bench-user");
        _store.CreateAsync(_session, 0, CancellationToken.None).GetAwaiter().GetResult();
        if (Get().GetAwaiter().GetResult() is null)
        {
            throw new InvalidOperationException("The benchmark session must be found.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _peer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "get (validation)")]
    public Task<SessionRecord?> Get() => _store.GetAsync(_session.Key, CancellationToken.None);

    [Benchmark(Description = "touch (sliding expiry)")]
    public Task<bool> Touch()
    {
        var now = DateTimeOffset.UtcNow;
        return _store.TouchAsync(_session.Key, now, now.AddMinutes(30), CancellationToken.None);
    }

    [Benchmark(Description = "create (new user) then delete it")]
    public async Task<bool> CreateAndDelete()
    {
        var session = RedisBenchmarkData.NewSession(NextSubject("c"));
        await _store.CreateAsync(session, 0, CancellationToken.None).ConfigureAwait(false);
        return await _store.DeleteAsync(session.Key, CancellationToken.None).ConfigureAwait(false);
    }

    [Benchmark(Description = "revoke a user's 3 sessions (incl. creating them)")]
    public async Task<int> CreateThreeAndRevokeUser()
    {
        var subject = NextSubject("r");
        for (var i = 0; i < 3; i++)
        {
            await _store.CreateAsync(RedisBenchmarkData.NewSession(subject), 0, CancellationToken.None).ConfigureAwait(false);
        }

        return (await _store.DeleteBySubjectAsync(subject, CancellationToken.None).ConfigureAwait(false)).Count;
    }

    private string NextSubject(string kind)
        => "bench-" + kind + "-" + Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture);
}
