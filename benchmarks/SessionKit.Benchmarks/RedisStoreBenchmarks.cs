using System.Globalization;
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
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class RedisStoreBenchmarks
{
    private RedisServerProcess _server = null!;
    private RedisSessionStore _store = null!;
    private SessionRecord _session = null!;
    private int _counter;

    /// <summary>How many other users' sessions the database holds.</summary>
    [Params(1_000, 1_000_000)]
    public int OtherSessions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _server = new RedisServerProcess();
        _server.StartAsync().GetAwaiter().GetResult();
        RedisBenchmarkData.FillOtherUsers(_server.ConnectionString, 0, OtherSessions);
        _store = new RedisSessionStore(_server.ConnectionString, new RedisSessionStoreOptions(), TimeProvider.System, NullLogger<RedisSessionStore>.Instance);
        _session = NewSession("bench-user");
        _store.CreateAsync(_session, 0, CancellationToken.None).GetAwaiter().GetResult();
        if (Get().GetAwaiter().GetResult() is null)
        {
            throw new InvalidOperationException("The benchmark session must be found.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "get (validation)")]
    public Task<SessionRecord?> Get() => _store.GetAsync(_session.Key, CancellationToken.None);

    [Benchmark(Description = "touch (sliding expiry)")]
    public Task<bool> Touch()
    {
        var now = DateTimeOffset.UtcNow;
        return _store.TouchAsync(_session.Key, now, now.AddMinutes(30), CancellationToken.None);
    }

    [Benchmark(Description = "create (new user, login)")]
    public Task<IReadOnlyList<SessionKey>> Create()
        => _store.CreateAsync(NewSession(NextSubject("c")), 0, CancellationToken.None);

    [Benchmark(Description = "revoke a user's 3 sessions (incl. creating them)")]
    public async Task<int> CreateThreeAndRevokeUser()
    {
        var subject = NextSubject("r");
        for (var i = 0; i < 3; i++)
        {
            await _store.CreateAsync(NewSession(subject), 0, CancellationToken.None).ConfigureAwait(false);
        }

        return (await _store.DeleteBySubjectAsync(subject, CancellationToken.None).ConfigureAwait(false)).Count;
    }

    private string NextSubject(string kind)
        => "bench-" + kind + "-" + Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture);

    private static SessionRecord NewSession(string subject) => RedisBenchmarkData.NewSession(subject);
}
