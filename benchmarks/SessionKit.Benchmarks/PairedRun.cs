using System.Diagnostics;
using System.Globalization;

namespace SessionKit.Benchmarks;

/// <summary>
/// A cross-check for BenchmarkDotNet on a shared, noisy machine: the baseline and the SessionKit path run in
/// alternating blocks, so that load changes hit both alike; reports the median time per call of each and the median
/// of the per-round ratios. Run with <c>-- paired</c>.
/// </summary>
internal static class PairedRun
{
    private const int Rounds = 200;
    private const int CallsPerBlock = 2_000;

    public static void Run()
    {
        var bench = new JwtValidationBenchmarks();
        bench.Setup();
        Func<bool> baseline = () => bench.Baseline_JsonWebTokenHandler().GetAwaiter().GetResult();
        Func<bool> sessionKit = () => bench.SessionKit_token_and_session().GetAwaiter().GetResult();
        Block(baseline, CallsPerBlock * 5);
        Block(sessionKit, CallsPerBlock * 5);

        var baseTimes = new double[Rounds];
        var kitTimes = new double[Rounds];
        var ratios = new double[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            // Alternate which goes first, so neither always runs right after a GC or a context switch burst.
            if (round % 2 == 0)
            {
                baseTimes[round] = Block(baseline, CallsPerBlock);
                kitTimes[round] = Block(sessionKit, CallsPerBlock);
            }
            else
            {
                kitTimes[round] = Block(sessionKit, CallsPerBlock);
                baseTimes[round] = Block(baseline, CallsPerBlock);
            }

            ratios[round] = kitTimes[round] / baseTimes[round];
        }

        var tokenOnly = Block(() => bench.Breakdown_token_only().GetAwaiter().GetResult(), CallsPerBlock * 20);
        var baseAgain = Block(baseline, CallsPerBlock * 20);
        var baseAlloc = Allocated(baseline);
        var kitAlloc = Allocated(sessionKit);
        bench.Cleanup();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"paired: {Rounds} rounds x {CallsPerBlock} calls; baseline median {Median(baseTimes):F0} ns/call, {baseAlloc} B/call; " +
            $"SessionKit median {Median(kitTimes):F0} ns/call, {kitAlloc} B/call; median ratio {Median(ratios):F3}; " +
            $"breakdown: token checks alone {tokenOnly:F0} ns/call against the baseline's {baseAgain:F0}"));
    }

    private static double Block(Func<bool> call, int calls)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            if (!call())
            {
                throw new InvalidOperationException("The benchmark token was refused.");
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls;
    }

    private static long Allocated(Func<bool> call)
    {
        const int calls = 10_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            call();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
