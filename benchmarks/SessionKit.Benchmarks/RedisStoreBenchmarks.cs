using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using SessionKit.Redis;
using SessionKit.Testing.Redis;
using StackExchange.Redis;

namespace SessionKit.Benchmarks;

/// <summary>
/// The Redis store's operations, one at a time against a local <c>redis-server</c> on loopback (round trip included,
/// client-side cost measured), with <see cref="OtherSessions"/> sessions of other users in the same database: 1 k vs
/// 1 M shows whether validation (get/touch) and revoking one user's sessions depend on how many others are stored.
/// Each other user has one session key and one subject-index key, named and sized like SessionKit's (written by a Lua
/// loop, not through the store, to fill 1 M in seconds).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class RedisStoreBenchmarks
{
    private const string Fill = """
        local prefix, from, to, value = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
        for i = from, to do
          local p = string.format('%08x', i)
          local h = redis.sha1hex(p) .. 'abc'
          redis.call('SET', prefix .. '{' .. p .. '}:s:' .. h, value, 'PX', 28800000)
          redis.call('ZADD', prefix .. '{' .. p .. '}:u:other-' .. i, i, h)
          redis.call('PEXPIRE', prefix .. '{' .. p .. '}:u:other-' .. i, 28800000)
        end
        return to
        """;

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
        using (var admin = ConnectionMultiplexer.Connect(_server.ConnectionString + ",syncTimeout=120000"))
        {
            var db = admin.GetDatabase();
            var value = new string('x', 180);   // about the packed size of a session with 3 permissions
            for (var from = 1; from <= OtherSessions; from += 50_000)
            {
                var to = Math.Min(OtherSessions, from + 49_999);
                db.ScriptEvaluate(Fill, null, ["sessionkit:", from, to, value], CommandFlags.None);
            }

            var keys = (long)db.Execute("DBSIZE");
            if (keys != 2L * OtherSessions)
            {
                throw new InvalidOperationException($"Expected {2L * OtherSessions} keys, found {keys}.");
            }
        }

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

    private static SessionRecord NewSession(string subject)
    {
        var created = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return new SessionRecord
        {
            Key = new SessionKey(RedisSessionKeys.PartitionOf(subject), Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))),
            Subject = subject,
            CreatedAt = created,
            LastSeenAt = created,
            IdleExpiresAt = created.AddMinutes(30),
            AbsoluteExpiresAt = created.AddHours(8),
            Claims = [new SessionClaim(SessionKitClaimTypes.Name, "john.doe@email.com")],
            Permissions = ["CREATE_ROLE", "CREATE_GROUP", "ASSIGN_USERS"],
        };
    }
}
