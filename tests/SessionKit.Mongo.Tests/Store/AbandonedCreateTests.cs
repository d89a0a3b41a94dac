using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using SessionKit.Mongo.Tests.Peer;
using SessionKit.Testing.Mongo;

namespace SessionKit.Mongo.Tests.Store;

/// <summary>
/// A create whose caller gave up (its token was cancelled, as the store timeout does) leaves nothing usable or counted,
/// even when the insert reaches the server after the caller gave up; and a sign-in that died holding its subject's lease
/// blocks the subject only until the lease runs out.
/// </summary>
public sealed class AbandonedCreateTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly WirePeer _peer = new WirePeer().AsReplicaSetPrimary();
    private readonly FakeTimeProvider _clock = new(StoreTestData.Now());
    private MongoClient _client = null!;
    private MongoSessionStore _store = null!;
    private IMongoCollection<BsonDocument> _sessions = null!;

    public ValueTask InitializeAsync()
    {
        _client = new MongoClient(_peer.ConnectionString("app", "serverSelectionTimeoutMS=5000"));
        var options = new MongoSessionStoreOptions();
        _store = new MongoSessionStore(_client.GetDatabase("app"), options, _clock, NullLogger<MongoSessionStore>.Instance);
        _sessions = _client.GetDatabase("app").GetCollection<BsonDocument>(options.CollectionName);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task An_insert_that_lands_after_the_caller_gave_up_fails_on_a_tombstone_and_nothing_is_usable_or_counted()
    {
        await _store.GetAsync(StoreTestData.NewKey(), CancellationToken.None);
        var record = StoreTestData.NewRecord("late", _clock.GetUtcNow());
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inserts = 0;
        _peer.Fault = c => IsInsertOf(c, record.Key.Hash) && Interlocked.Increment(ref inserts) == 1 ? new PeerFault.Delay(TimeSpan.FromSeconds(2), ran) : null;
        using var gaveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.CreateAsync(record, 1, gaveUp.Token));
        await ran.Task.WaitAsync(Bound);

        var stored = await _sessions.Find(new BsonDocument("_id", record.Key.Hash)).ToListAsync();
        Assert.True(Assert.Single(stored).Contains("tombstone"), "The late insert must have failed on the tombstone.");
        Assert.Null(await _store.GetAsync(record.Key, CancellationToken.None));
        Assert.Empty(await _store.ListBySubjectAsync("late", CancellationToken.None));
        Assert.Empty((await _store.QueryAsync(new SessionQuery(), CancellationToken.None)).Sessions);
        var next = await _store.CreateAsync(StoreTestData.NewRecord("late", _clock.GetUtcNow()), 1, CancellationToken.None);
        Assert.Empty(next.Evicted);
        Assert.Equal(1, await _store.DeleteAllAsync(CancellationToken.None));
        Assert.Single(await _sessions.Find(new BsonDocument("_id", record.Key.Hash)).ToListAsync());
    }

    [Fact]
    public async Task An_insert_that_landed_before_the_caller_gave_up_is_deleted()
    {
        await _store.GetAsync(StoreTestData.NewKey(), CancellationToken.None);
        var record = StoreTestData.NewRecord("slow-reply", _clock.GetUtcNow());
        _peer.Fault = c => IsInsertOf(c, record.Key.Hash) ? new PeerFault.DelayReply(TimeSpan.FromSeconds(2)) : null;
        using var gaveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.CreateAsync(record, 0, gaveUp.Token));

        Assert.Empty(await _sessions.Find(new BsonDocument("_id", record.Key.Hash)).ToListAsync());
        Assert.Empty(await _store.ListBySubjectAsync("slow-reply", CancellationToken.None));
    }

    [Fact]
    public async Task A_lease_left_by_a_dead_sign_in_is_taken_over_once_it_runs_out()
    {
        var subjects = _client.GetDatabase("app").GetCollection<BsonDocument>(new MongoSessionStoreOptions().SubjectCollectionName);
        await subjects.InsertOneAsync(new BsonDocument
        {
            { "_id", "crashed" },
            { "version", 0L },
            { "claims", new BsonArray() },
            { "permissions", new BsonArray() },
            { "lease", "an-instance-that-died" },
            { "leaseUntil", new BsonDateTime(_clock.GetUtcNow().AddSeconds(10).ToUnixTimeMilliseconds()) },
            { "expireAt", new BsonDateTime(_clock.GetUtcNow().AddHours(1).ToUnixTimeMilliseconds()) },
        });
        var subjectCollection = subjects.CollectionNamespace.CollectionName;

        var create = _store.CreateAsync(StoreTestData.NewRecord("crashed", _clock.GetUtcNow()), 2, CancellationToken.None);
        await WaitUntilAsync(() => _peer.Received.Count(c => c.GetElement(0).Name == "findAndModify" && c["findAndModify"] == subjectCollection) >= 3);
        Assert.False(create.IsCompleted, "The sign-in must wait while the lease is held.");
        _clock.Advance(TimeSpan.FromSeconds(11));

        var created = await create.WaitAsync(Bound);
        Assert.Equal("crashed", created.Session.Subject);
        Assert.False((await subjects.Find(new BsonDocument("_id", "crashed")).FirstAsync()).Contains("lease"));
    }

    [Fact]
    public async Task A_sign_in_that_gives_up_waiting_for_a_held_lease_stores_nothing()
    {
        var subjects = _client.GetDatabase("app").GetCollection<BsonDocument>(new MongoSessionStoreOptions().SubjectCollectionName);
        await subjects.InsertOneAsync(new BsonDocument
        {
            { "_id", "busy" },
            { "version", 0L },
            { "lease", "someone-else" },
            { "leaseUntil", new BsonDateTime(_clock.GetUtcNow().AddSeconds(10).ToUnixTimeMilliseconds()) },
        });
        using var gaveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.CreateAsync(StoreTestData.NewRecord("busy", _clock.GetUtcNow()), 2, gaveUp.Token));

        Assert.Empty(await _store.ListBySubjectAsync("busy", CancellationToken.None));
        Assert.Equal("someone-else", (await subjects.Find(new BsonDocument("_id", "busy")).FirstAsync())["lease"].AsString);
    }

    public async ValueTask DisposeAsync()
    {
        _peer.Fault = null;
        _client.Dispose();
        await _peer.DisposeAsync();
    }

    private static bool IsInsertOf(BsonDocument command, string hash)
        => command.GetElement(0).Name == "insert" && command["documents"].AsBsonArray.Any(d => d["_id"] == hash && !d.AsBsonDocument.Contains("tombstone"));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
