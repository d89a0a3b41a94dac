using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace SessionKit.Benchmarks;

[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class BreakdownBenchmarks
{
    private ServiceProvider _services = null!;
    private ISessionStore _store = null!;
    private SessionManager _sessions = null!;
    private string _id = null!;
    private SessionKey _key;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSessionKit();
        _services = services.BuildServiceProvider();
        _store = _services.GetRequiredService<ISessionStore>();
        _sessions = _services.GetRequiredService<SessionManager>();
        var created = _sessions.CreateAsync(new SessionCreateRequest { Subject = "bench" }).GetAwaiter().GetResult();
        _id = created.Id;
        _key = created.Session.Key;
    }

    [Benchmark]
    public bool Parse() => SessionIds.TryParse(_id, out _);

    [Benchmark]
    public byte[] Sha256Only() => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(_id));

    [ThreadStatic]
    private static IncrementalHash? _sha;

    [Benchmark]
    public bool Sha256Incremental()
    {
        var sha = _sha ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> ascii = stackalloc byte[43];
        for (var i = 0; i < 43; i++) { ascii[i] = (byte)_id[i + 9]; }
        sha.AppendData(ascii);
        Span<byte> hash = stackalloc byte[32];
        return sha.TryGetHashAndReset(hash, out _);
    }

    [Benchmark]
    public Task<SessionRecord?> StoreGet() => _store.GetAsync(_key, CancellationToken.None);

    [Benchmark]
    public async Task<bool> ManagerValidate() => (await _sessions.ValidateAsync(_id)).IsValid;
}
