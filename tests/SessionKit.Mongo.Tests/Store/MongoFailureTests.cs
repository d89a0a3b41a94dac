using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using SessionKit.Mongo.Tests.Peer;
using SessionKit.Testing.Mongo;

namespace SessionKit.Mongo.Tests.Store;

/// <summary>
/// The store's error rule through the real driver: infrastructure failures become
/// <see cref="SessionStoreUnavailableException"/> naming the server and the cause (never the password); anything else
/// propagates as it is.
/// </summary>
public sealed class MongoFailureTests : IAsyncLifetime
{
    private const string Password = "pa55-w0rd-never-logged";
    private readonly WirePeer _peer = new WirePeer().AsReplicaSetPrimary();
    private MongoClient _client = null!;
    private MongoSessionStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _peer.Commands.User = ("app", Password, ["SCRAM-SHA-256"]);
        var connectionString = _peer.ConnectionString("app", "authSource=admin&serverSelectionTimeoutMS=1000&connectTimeoutMS=1000")
            .Replace("mongodb://", $"mongodb://app:{Password}@", StringComparison.Ordinal);
        _client = new MongoClient(connectionString);
        _store = new MongoSessionStore(_client.GetDatabase("app"), new MongoSessionStoreOptions(), TimeProvider.System, NullLogger<MongoSessionStore>.Instance);
        await _store.GetAsync(StoreTestData.NewKey(), CancellationToken.None);
    }

    [Fact]
    public async Task An_unreachable_server_is_unavailable_naming_the_endpoint_and_the_cause_but_never_the_password()
    {
        await _peer.StopAsync();

        var failure = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => _store.GetAsync(StoreTestData.NewKey(), CancellationToken.None));

        Assert.Contains(_peer.Address, failure.Message, StringComparison.Ordinal);
        // Refused while connecting, or no server selectable in time: either way the driver's exception is inside and named.
        Assert.True(failure.InnerException is MongoConnectionException or TimeoutException, failure.InnerException?.ToString());
        Assert.Contains(failure.InnerException!.GetType().Name, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_concern_timeout_is_unavailable()
    {
        _peer.Fault = c => c.GetElement(0).Name == "insert"
            ? new PeerFault.Reply(new BsonDocument { { "ok", 1.0 }, { "n", 1 }, { "writeConcernError", new BsonDocument { { "code", 64 }, { "codeName", "WriteConcernFailed" }, { "errmsg", "waiting for replication timed out" } } } })
            : null;

        var failure = await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => _store.CreateAsync(StoreTestData.NewRecord("wc", DateTimeOffset.UtcNow), 0, CancellationToken.None));

        Assert.Contains("waiting for replication timed out", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_that_is_shutting_down_is_unavailable()
    {
        _peer.Fault = c => c.GetElement(0).Name == "find"
            ? new PeerFault.Reply(new BsonDocument { { "ok", 0.0 }, { "code", 91 }, { "codeName", "ShutdownInProgress" }, { "errmsg", "shutdown in progress" } })
            : null;

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => _store.GetAsync(StoreTestData.NewKey(), CancellationToken.None));
    }

    [Fact]
    public async Task A_server_error_that_is_not_an_outage_propagates_unchanged()
    {
        _peer.Fault = c => c.GetElement(0).Name == "find"
            ? new PeerFault.Reply(new BsonDocument { { "ok", 0.0 }, { "code", 13 }, { "codeName", "Unauthorized" }, { "errmsg", "not authorized on app to execute command" } })
            : null;

        var failure = await Assert.ThrowsAsync<MongoCommandException>(() => _store.GetAsync(StoreTestData.NewKey(), CancellationToken.None));

        Assert.Equal(13, failure.Code);
    }

    [Fact]
    public async Task A_caller_that_gives_up_gets_its_cancellation_not_an_outage()
    {
        _peer.Fault = c => c.GetElement(0).Name == "find" ? new PeerFault.Silence() : null;
        using var gaveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var failure = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.GetAsync(StoreTestData.NewKey(), gaveUp.Token));

        Assert.Equal(gaveUp.Token, failure.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _peer.Fault = null;
        _client.Dispose();
        await _peer.DisposeAsync();
    }
}
