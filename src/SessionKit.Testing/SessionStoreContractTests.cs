using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;

namespace SessionKit.Testing;

/// <summary>
/// The behaviour every <see cref="ISessionStore"/> must have (its doc comments are the contract). To check a store,
/// derive one class in an xunit v3 test project and implement <see cref="CreateStoreAsync"/>; every test then runs
/// against that store.
/// </summary>
/// <remarks>
/// The clock is a <see cref="FakeTimeProvider"/> the tests move forward: the store must decide expiry with the
/// <see cref="TimeProvider"/> it is given. Tests use unique subjects, so a store may share one server between tests.
/// </remarks>
public abstract partial class SessionStoreContractTests : IAsyncLifetime
{
    private ISessionStore? _store;

    /// <summary>A fake clock starting at the real current time (so stores with server-side TTLs see sane values).</summary>
    protected FakeTimeProvider Clock { get; } = new(TruncateToMilliseconds(DateTimeOffset.UtcNow));

    /// <summary>The store under test, fresh for each test.</summary>
    protected ISessionStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>How many workers the parallel tests start; each runs on its own thread-pool thread.</summary>
    protected virtual int ParallelWorkers => 50;

    /// <summary>Returns a fresh store isolated from other tests, whose expiry checks use <paramref name="time"/>.</summary>
    /// <param name="time">The clock the store must use.</param>
    /// <returns>The store.</returns>
    protected abstract Task<ISessionStore> CreateStoreAsync(TimeProvider time);

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync(Clock);

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        switch (_store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <summary>A new, well-formed store key: a random partition and the hash of a random secret, as SessionKit issues them.</summary>
    /// <returns>The key.</returns>
    public static SessionKey NewKey()
    {
        Span<byte> random = stackalloc byte[6 + 32];
        RandomNumberGenerator.Fill(random);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(random[6..], hash);
        return new SessionKey(Base64Url.EncodeToString(random[..6]), Base64Url.EncodeToString(hash));
    }

    /// <summary>A new record for <paramref name="subject"/>, created now, with the given lifetimes.</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="idle">The idle timeout (default 30 minutes).</param>
    /// <param name="absolute">The absolute lifetime (default 8 hours).</param>
    /// <param name="createdAt">The creation time (default now).</param>
    /// <returns>The record, not stored yet.</returns>
    protected SessionRecord NewRecord(string subject, TimeSpan? idle = null, TimeSpan? absolute = null, DateTimeOffset? createdAt = null)
    {
        var now = createdAt ?? Clock.GetUtcNow();
        return new SessionRecord
        {
            Key = NewKey(),
            Subject = subject,
            Scheme = "SessionCookie",
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now + (idle ?? TimeSpan.FromMinutes(30)),
            AbsoluteExpiresAt = now + (absolute ?? TimeSpan.FromHours(8)),
            Claims = [new SessionClaim("name", "Zoë Ångström"), new SessionClaim("role", "admin"), new SessionClaim("role", "user")],
            Permissions = ["CREATE_ROLE", "CREATE_GROUP", "ASSIGN_USERS"],
            Client = new SessionClientInfo("203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) ✓ 😀"),
            Version = 1,
        };
    }

    /// <summary>Creates <paramref name="record"/> with no per-subject limit and returns it as stored (the store may have chosen its partition).</summary>
    /// <param name="record">The record.</param>
    /// <returns>The stored record.</returns>
    protected async Task<SessionRecord> CreateAsync(SessionRecord record)
        => (await Store.CreateAsync(record, 0, CancellationToken.None)).Session;

    /// <summary>A subject name unique to this test run, so stores shared between tests never collide.</summary>
    /// <param name="name">A readable prefix.</param>
    /// <returns>The subject.</returns>
    protected static string NewSubject(string name = "user") => name + "-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Keys in a stable order, for comparing sets of keys.</summary>
    /// <param name="keys">The keys.</param>
    /// <returns>The keys ordered by hash.</returns>
    protected static IEnumerable<SessionKey> Sorted(IEnumerable<SessionKey> keys) => keys.OrderBy(k => k.Hash, StringComparer.Ordinal);

    /// <summary>
    /// Starts <paramref name="workers"/> tasks on the thread pool behind one gate so they overlap on every core (an
    /// awaited gate, not a blocking one, so the pool is not starved).
    /// </summary>
    /// <param name="workers">How many.</param>
    /// <param name="work">The work of worker i.</param>
    /// <returns>A task that completes when all have.</returns>
    protected static async Task RunInParallelAsync(int workers, Func<int, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, workers)
            .Select(i => Task.Run(async () =>
            {
                await gate.Task;
                await work(i);
            }))
            .ToArray();
        gate.SetResult();
        await Task.WhenAll(tasks);
    }

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value)
        => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
