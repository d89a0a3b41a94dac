using System.Collections.Concurrent;
using SessionKit.Testing.Redis;
using StackExchange.Redis;

namespace SessionKit.Redis.Tests;

public sealed class RedisRevocationChannelTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly RedisSessionStore _store = RedisStores.Create(redis.ConnectionString, TimeProvider.System);
    private readonly BlockingCollection<string> _messages = [];
    private ConnectionMultiplexer? _listener;

    public async ValueTask InitializeAsync()
    {
        // A second, independent connection, as another app instance would have.
        _listener = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString, null);
        await _listener.GetSubscriber(null).SubscribeAsync(new RedisChannel(_store.Channel, RedisChannel.PatternMode.Literal), (_, message) => _messages.Add((string)message!), CommandFlags.None);
    }

    public async ValueTask DisposeAsync()
    {
        _listener?.Dispose();
        await _store.DisposeAsync();
        _messages.Dispose();
    }

    [Fact]
    public async Task Deleting_a_session_publishes_its_hashed_key_and_never_a_session_id()
    {
        var session = TestSessions.New();
        session = (await _store.CreateAsync(session, 0, CancellationToken.None)).Session;

        await _store.DeleteAsync(session.Key, CancellationToken.None);

        Assert.Equal($"deleted:{session.Key.Partition}.{session.Key.Hash}", Next());
    }

    [Fact]
    public async Task Deleting_a_missing_session_publishes_nothing()
    {
        var session = TestSessions.New();
        await _store.DeleteAsync(session.Key, CancellationToken.None);
        await _store.DeleteAllAsync(CancellationToken.None);

        Assert.Equal("all", Next());
    }

    [Fact]
    public async Task Deleting_a_subjects_sessions_publishes_each_of_them()
    {
        var first = TestSessions.New();
        var second = TestSessions.New(first.Subject);
        first = (await _store.CreateAsync(first, 0, CancellationToken.None)).Session;
        second = (await _store.CreateAsync(second, 0, CancellationToken.None)).Session;

        await _store.DeleteBySubjectAsync(first.Subject, except: null, CancellationToken.None);

        Assert.Equal(
            new[] { first, second }.Select(s => $"subject:{s.Key.Partition}.{s.Key.Hash}").Order(StringComparer.Ordinal),
            new[] { Next(), Next() }.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Claims_updates_evictions_and_delete_all_are_published_to_the_internal_subscriber()
    {
        await using var otherInstance = new RedisSessionStore(redis.ConnectionString, new RedisSessionStoreOptions { KeyPrefix = _store.Keys.Prefix }, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisSessionStore>.Instance);
        var received = new BlockingCollection<RedisRevocation>();
        await using var subscription = await otherInstance.SubscribeRevocationsAsync(received.Add, CancellationToken.None);
        var oldest = TestSessions.New();
        var newest = TestSessions.New(oldest.Subject, oldest.CreatedAt.AddSeconds(1));
        oldest = (await _store.CreateAsync(oldest, 1, CancellationToken.None)).Session;

        await _store.UpdateSubjectClaimsAsync(oldest.Subject, new SubjectClaims([], ["NEW"]), DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None);
        newest = (await _store.CreateAsync(newest, 1, CancellationToken.None)).Session;
        await _store.DeleteAllAsync(CancellationToken.None);

        Assert.Equal(new RedisRevocation(RedisRevocationReason.ClaimsUpdated, oldest.Key), Take(received));
        Assert.Equal(new RedisRevocation(RedisRevocationReason.Evicted, oldest.Key), Take(received));
        Assert.Equal(new RedisRevocation(RedisRevocationReason.All, null), Take(received));
    }

    private string Next() => Take(_messages);

    private static T Take<T>(BlockingCollection<T> messages)
        => messages.TryTake(out var message, Patience) ? message : throw new TimeoutException("No revocation message arrived.");
}
