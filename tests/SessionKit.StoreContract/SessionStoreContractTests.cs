using Microsoft.Extensions.Time.Testing;

namespace SessionKit.StoreContract;

/// <summary>
/// The behaviour every <see cref="ISessionStore"/> must have. A store's test project derives one class and
/// implements <see cref="CreateStoreAsync"/>; every test then runs against that store.
/// </summary>
public abstract partial class SessionStoreContractTests : IAsyncLifetime
{
    private ISessionStore? _store;

    /// <summary>A fake clock starting at the real current time (so stores with server-side TTLs see sane values).</summary>
    protected FakeTimeProvider Clock { get; } = new(TruncateToMilliseconds(DateTimeOffset.UtcNow));

    /// <summary>The store under test, fresh and empty for each test.</summary>
    protected ISessionStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Returns a fresh, empty store isolated from other tests, whose expiry checks use <paramref name="time"/>.</summary>
    /// <param name="time">The clock the store must use.</param>
    /// <returns>The store.</returns>
    protected abstract Task<ISessionStore> CreateStoreAsync(TimeProvider time);

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync(Clock);

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
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

    /// <summary>A new record for <paramref name="subject"/>, created now, with the given lifetimes.</summary>
    protected SessionRecord NewRecord(string subject, TimeSpan? idle = null, TimeSpan? absolute = null, DateTimeOffset? createdAt = null)
    {
        var now = createdAt ?? Clock.GetUtcNow();
        var (_, key) = SessionIds.Create(subject);
        return new SessionRecord
        {
            Key = key,
            Subject = subject,
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now + (idle ?? TimeSpan.FromMinutes(30)),
            AbsoluteExpiresAt = now + (absolute ?? TimeSpan.FromHours(8)),
            Claims = [new SessionClaim("name", "Zoë Ångström"), new SessionClaim("role", "admin"), new SessionClaim("role", "user")],
            Permissions = ["CREATE_ROLE", "CREATE_GROUP", "ASSIGN_USERS"],
            Client = new SessionClientInfo("203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64)"),
            Version = 1,
        };
    }

    /// <summary>Creates <paramref name="record"/> with no per-subject limit.</summary>
    protected Task CreateAsync(SessionRecord record) => Store.CreateAsync(record, 0, CancellationToken.None);

    /// <summary>A subject name unique to this test run, so stores shared between tests never collide.</summary>
    protected static string NewSubject(string name = "user") => name + "-" + Guid.NewGuid().ToString("N")[..12];

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value)
        => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
