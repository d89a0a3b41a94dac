using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using SessionKit.Redis;
using SessionKit.Testing.Redis;

namespace SessionKit.Benchmarks;

/// <summary>
/// Does the Redis store's cost depend on how many sessions are stored? One <c>redis-server</c>, two databases: database
/// 0 holds 1 k other users' sessions, database 1 holds 1 M; one store on each. Validation (get) and revoking one user's
/// 3 sessions run in interleaved blocks (rotating order), so that a change in machine load hits both sizes alike; the
/// result is the median over rounds of (time at 1 M ÷ time at 1 k). Run with <c>-- scale</c>; prints a Markdown table.
/// </summary>
internal static class ScaleRun
{
    private const int Rounds = 60;
    private const int GetsPerBlock = 200;
    private const int RevokesPerBlock = 40;
    private static int s_counter;

    public static async Task RunAsync()
    {
        await using var server = new RedisServerProcess();
        await server.StartAsync();
        var sizes = new[] { 1_000, 1_000_000 };
        var stores = new RedisSessionStore[sizes.Length];
        var sessions = new SessionRecord[sizes.Length];
        for (var i = 0; i < sizes.Length; i++)
        {
            RedisBenchmarkData.FillOtherUsers(server.ConnectionString, i, sizes[i]);
            stores[i] = new RedisSessionStore(server.ConnectionString + ",defaultDatabase=" + i.ToString(CultureInfo.InvariantCulture),
                new RedisSessionStoreOptions(), TimeProvider.System, NullLogger<RedisSessionStore>.Instance);
            sessions[i] = RedisBenchmarkData.NewSession("scale-user");
            await stores[i].CreateAsync(sessions[i], 0, CancellationToken.None);
        }

        var operations = new (string Name, Func<RedisSessionStore, SessionRecord, Task<double>> Block)[]
        {
            ("validation: store get of one session", GetBlockAsync),
            ("revoking one user's 3 sessions (DeleteBySubject)", RevokeBlockAsync),
        };
        Console.WriteLine($"scale: {Rounds} rounds, interleaved; {GetsPerBlock} gets / {RevokesPerBlock} revokes per block; other users' sessions: {string.Join(" vs ", sizes)}");
        Console.WriteLine("| operation | median µs at 1 k | median µs at 1 M | median ratio 1 M ÷ 1 k (min – max of the middle 80 %) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, block) in operations)
        {
            for (var i = 0; i < sizes.Length; i++)
            {
                await block(stores[i], sessions[i]);   // warm-up
            }

            var times = new double[sizes.Length][];
            for (var i = 0; i < sizes.Length; i++)
            {
                times[i] = new double[Rounds];
            }

            for (var round = 0; round < Rounds; round++)
            {
                for (var k = 0; k < sizes.Length; k++)
                {
                    var i = (round + k) % sizes.Length;
                    times[i][round] = await block(stores[i], sessions[i]);
                }
            }

            var ratios = times[1].Zip(times[0], (large, small) => large / small).Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Median(times[0]) / 1000:F1} | {Median(times[1]) / 1000:F1} | {Median(ratios):F2} ({ratios[Rounds / 10]:F2} – {ratios[Rounds - 1 - Rounds / 10]:F2}) |"));
        }

        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    private static async Task<double> GetBlockAsync(RedisSessionStore store, SessionRecord session)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < GetsPerBlock; i++)
        {
            if (await store.GetAsync(session.Key, CancellationToken.None) is null)
            {
                throw new InvalidOperationException("The benchmark session must be found.");
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / GetsPerBlock;
    }

    // Only the revocation is timed; creating the user's 3 sessions before it is not.
    private static async Task<double> RevokeBlockAsync(RedisSessionStore store, SessionRecord session)
    {
        var elapsed = TimeSpan.Zero;
        for (var i = 0; i < RevokesPerBlock; i++)
        {
            var subject = "scale-revoke-" + Interlocked.Increment(ref s_counter).ToString(CultureInfo.InvariantCulture);
            for (var s = 0; s < 3; s++)
            {
                await store.CreateAsync(RedisBenchmarkData.NewSession(subject), 0, CancellationToken.None);
            }

            var start = Stopwatch.GetTimestamp();
            var revoked = await store.DeleteBySubjectAsync(subject, except: null, CancellationToken.None);
            elapsed += Stopwatch.GetElapsedTime(start);
            if (revoked.Count != 3)
            {
                throw new InvalidOperationException("Each revocation must delete the user's 3 sessions.");
            }
        }

        return elapsed.TotalNanoseconds / RevokesPerBlock;
    }

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);
}
