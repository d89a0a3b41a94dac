using System.Diagnostics;
using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;

namespace SessionKit.Benchmarks;

/// <summary>
/// A cross-check for BenchmarkDotNet on a shared, noisy machine: the variants run in interleaved blocks (round-robin,
/// rotating the order), so that load changes hit all of them alike; reports each variant's median time per call, its
/// median ratio to the baseline over the rounds, and its allocations. Run with <c>-- paired</c>.
/// </summary>
internal static class PairedRun
{
    private const int Rounds = 200;
    private const int CallsPerBlock = 2_000;

    private static JsonWebToken Jwt = null!;

    public static void Run()
    {
        var bench = new JwtValidationBenchmarks();
        bench.Setup();
        var handler = new JsonWebTokenHandler();
        Jwt = new JsonWebToken(bench.Token);
        var variants = new (string Name, Func<bool> Call)[]
        {
            ("JsonWebTokenHandler alone (baseline)", () => bench.Baseline_JsonWebTokenHandler().GetAwaiter().GetResult()),
            ("JsonWebTokenHandler with SessionKit's parameters", () => handler.ValidateTokenAsync(bench.Token, bench.Validator.Parameters).GetAwaiter().GetResult().IsValid),
            ("  part: strict JSON check of header and claims", () =>
            {
                var t = bench.Token;
                var h = t.IndexOf('.', StringComparison.Ordinal);
                var p = t.IndexOf('.', h + 1);
                return SessionKit.Jwt.StrictJsonMembers.Check(t.AsSpan(0, h), false) && SessionKit.Jwt.StrictJsonMembers.Check(t.AsSpan(h + 1, p - h - 1), true);
            }),
            ("  part: header and claim lookups", () => Jwt.TryGetHeaderValue<object>("crit", out _) is false && Jwt.TryGetPayloadValue<object>("sid", out var sid) && sid is string && Jwt.TryGetPayloadValue<object>("sub", out var sub) && sub is string),
            ("SessionKit token checks (no store)", () => bench.Breakdown_token_only().GetAwaiter().GetResult()),
            ("SessionKit token + in-memory session lookup (a repeat request)", () => bench.SessionKit_token_and_session().GetAwaiter().GetResult()),
        };
        foreach (var (_, call) in variants)
        {
            Block(call, CallsPerBlock * 5);
        }

        var times = new double[variants.Length][];
        for (var v = 0; v < variants.Length; v++)
        {
            times[v] = new double[Rounds];
        }

        for (var round = 0; round < Rounds; round++)
        {
            for (var k = 0; k < variants.Length; k++)
            {
                var v = (round + k) % variants.Length;
                times[v][round] = Block(variants[v].Call, CallsPerBlock);
            }
        }

        Console.WriteLine($"paired: {Rounds} rounds x {CallsPerBlock} calls per variant, interleaved");
        Console.WriteLine("| variant | median ns/call | median ratio to baseline | B/call |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (var v = 0; v < variants.Length; v++)
        {
            var ratios = times[v].Zip(times[0], (t, b) => t / b).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {variants[v].Name} | {Median(times[v]):F0} | {Median(ratios):F3} | {Allocated(variants[v].Call)} |"));
        }

        bench.Cleanup();
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
