using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using SessionKit.Redis;
using SessionKit.Testing.Redis;

namespace SessionKit.Benchmarks;

/// <summary>
/// The Redis store's operations, one at a time against a local <c>redis-server</c> on loopback (round trip included,
/// client-side cost measured), with <see cref="OtherSessions"/> sessions of other users in the same database: 1 k vs
/// 1 M shows whether validation (get/touch) and revoking one user's sessions depend on how many others are stored.
/// Each other user has one session key and one subject-index key (see <see cref="RedisBenchmarkData"/>).
/// </summary>
public class RedisStoreBenchmarks : SessionStoreBenchmarks
{
    private RedisServerProcess _server = null!;
    private RedisSessionStore _store = null!;

    /// <summary>How many other users' sessions the database holds.</summary>
    [Params(1_000, 1_000_000)]
    public int OtherSessions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _server = new RedisServerProcess();
        _server.StartAsync().GetAwaiter().GetResult();
        RedisBenchmarkData.FillOtherUsers(_server.ConnectionString, 0, OtherSessions);
        Store = _store = new RedisSessionStore(_server.ConnectionString, new RedisSessionStoreOptions(), TimeProvider.System, NullLogger<RedisSessionStore>.Instance);
        CreateBenchmarkSession();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "create (new user, login)")]
    public Task<SessionCreateResult> Create()
        => Store.CreateAsync(RedisBenchmarkData.NewSession(NextSubject("c")), 0, CancellationToken.None);
}
