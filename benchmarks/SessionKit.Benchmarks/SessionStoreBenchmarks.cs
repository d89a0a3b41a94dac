using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace SessionKit.Benchmarks;

/// <summary>
/// The store operations every backend's benchmark measures the same way — a validation read, a sliding-expiry touch,
/// and revoking one user's sessions — on the store and session a derived class sets up in its own global setup.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public abstract class SessionStoreBenchmarks
{
    private int _counter;

    /// <summary>The store under measurement.</summary>
    private protected ISessionStore Store { get; set; } = null!;

    /// <summary>The session that get and touch read and refresh.</summary>
    private protected SessionRecord Session { get; set; } = null!;

    [Benchmark(Description = "get (validation)")]
    public Task<SessionRecord?> Get() => Store.GetAsync(Session.Key, CancellationToken.None);

    [Benchmark(Description = "touch (sliding expiry)")]
    public Task<bool> Touch()
    {
        var now = DateTimeOffset.UtcNow;
        return Store.TouchAsync(Session.Key, now, now.AddMinutes(30), CancellationToken.None);
    }

    [Benchmark(Description = "revoke a user's 3 sessions (incl. creating them)")]
    public async Task<int> CreateThreeAndRevokeUser()
    {
        var subject = NextSubject("r");
        for (var i = 0; i < 3; i++)
        {
            await Store.CreateAsync(RedisBenchmarkData.NewSession(subject), 0, CancellationToken.None).ConfigureAwait(false);
        }

        return (await Store.DeleteBySubjectAsync(subject, except: null, CancellationToken.None).ConfigureAwait(false)).Count;
    }

    /// <summary>Creates the benchmark session and checks that the store finds it.</summary>
    private protected void CreateBenchmarkSession()
    {
        Session = RedisBenchmarkData.NewSession("bench-user");
        Store.CreateAsync(Session, 0, CancellationToken.None).GetAwaiter().GetResult();
        if (Get().GetAwaiter().GetResult() is null)
        {
            throw new InvalidOperationException("The benchmark session must be found.");
        }
    }

    private protected string NextSubject(string kind)
        => "bench-" + kind + "-" + Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture);
}
