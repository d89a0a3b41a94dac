using SessionKit.Mongo.Tests.Peer;
using SessionKit.Mongo.Wire.Bson;
using SessionKit.Mongo.Wire.Protocol;

namespace SessionKit.Mongo.Tests.Wire;

/// <summary>Primary discovery and the retryable-write rules against two peers acting as a two-member replica set.</summary>
public sealed class ReplicaSetTests : IAsyncLifetime
{
    private readonly WirePeer _a = new();
    private readonly WirePeer _b = new();

    public ValueTask InitializeAsync()
    {
        foreach (var peer in new[] { _a, _b })
        {
            peer.Commands.SetName = "rs0";
            peer.Commands.Hosts = [_a.Address, _b.Address];
            peer.Commands.PrimaryHint = _b.Address;
        }

        _a.Commands.IsPrimary = false;
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task The_primary_is_found_from_a_seed_that_is_a_secondary()
    {
        await using var client = ClientFaultTests.NewClient(_a.Address, "&replicaSet=rs0");

        await InsertAsync(client, "x");

        Assert.Single(_b.Commands.Storage.Collection("app.c"));
        Assert.Empty(_a.Commands.Storage.Collection("app.c"));
    }

    [Fact]
    public async Task A_not_primary_error_during_a_write_rediscovers_the_primary_and_retries_once_with_the_same_lsid_and_txnNumber()
    {
        await using var client = ClientFaultTests.NewClient($"{_a.Address},{_b.Address}", "&replicaSet=rs0");
        await InsertAsync(client, "first");

        // Step-down: b stops being primary, a takes over; the client still believes in b.
        _b.Commands.IsPrimary = false;
        _a.Commands.IsPrimary = true;
        foreach (var peer in new[] { _a, _b })
        {
            peer.Commands.PrimaryHint = _a.Address;
        }

        await InsertAsync(client, "second");

        var rejected = _b.Received.Last(c => c.Elements[0].Key == "insert");
        var retried = _a.Received.Single(c => c.Elements[0].Key == "insert");
        Assert.Equal(rejected.GetDocument("lsid")!["id"], retried.GetDocument("lsid")!["id"]);
        Assert.IsType<long>(retried["txnNumber"]);
        Assert.Equal(rejected["txnNumber"], retried["txnNumber"]);
        Assert.Equal(["second"], _a.Commands.Storage.Collection("app.c").Select(d => d["_id"]));
    }

    [Fact]
    public async Task When_the_primary_goes_away_the_next_write_finds_the_new_one()
    {
        var c = new WirePeer();
        await using (c)
        {
            foreach (var peer in new[] { _b, c })
            {
                peer.Commands.SetName = "rs0";
                peer.Commands.Hosts = [_b.Address, c.Address];
                peer.Commands.PrimaryHint = c.Address;
            }

            c.Commands.IsPrimary = true;
            _b.Commands.IsPrimary = false;
            await using var client = ClientFaultTests.NewClient(c.Address, "&replicaSet=rs0");
            await InsertAsync(client, "before");

            // c dies (its listener and sockets close); b is elected.
            await c.DisposeAsync();
            _b.Commands.IsPrimary = true;
            _b.Commands.PrimaryHint = _b.Address;

            await InsertAsync(client, "after");

            Assert.Equal(["after"], _b.Commands.Storage.Collection("app.c").Select(d => d["_id"]));
        }
    }

    [Fact]
    public async Task A_write_is_retried_only_once()
    {
        await using var client = ClientFaultTests.NewClient(_b.Address, "&replicaSet=rs0");
        await InsertAsync(client, "first");
        _b.Fault = command => command.Elements[0].Key == "insert" ? new PeerFault.Reply(PeerFault.NotWritablePrimary()) : null;

        await Assert.ThrowsAnyAsync<Exception>(() => InsertAsync(client, "second"));

        Assert.Equal(3, _b.Received.Count(c => c.Elements[0].Key == "insert"));
    }

    [Fact]
    public async Task The_error_of_the_retry_is_surfaced_with_its_code()
    {
        await using var client = ClientFaultTests.NewClient(_b.Address, "&replicaSet=rs0");
        await InsertAsync(client, "taken");
        var faults = 0;
        _b.Fault = command => command.Elements[0].Key == "insert" && Interlocked.Increment(ref faults) == 1 ? new PeerFault.Reply(PeerFault.NotWritablePrimary()) : null;

        var error = await Assert.ThrowsAsync<Mongo.Wire.Connection.MongoServerException>(() => InsertAsync(client, "taken"));

        Assert.Equal(Mongo.Wire.Connection.MongoServerException.DuplicateKey, error.Code);
    }

    [Fact]
    public async Task A_replica_set_name_that_no_member_has_ends_in_a_clear_timeout()
    {
        await using var client = ClientFaultTests.NewClient(_b.Address, "&replicaSet=other&serverSelectionTimeoutMS=500");

        var error = await Assert.ThrowsAsync<TimeoutException>(() => InsertAsync(client, "x"));

        Assert.Contains("serverSelectionTimeoutMS", error.Message, StringComparison.Ordinal);
    }

    private static Task InsertAsync(Mongo.Wire.Connection.MongoClient client, string id)
    {
        var (command, sequences) = MongoCommands.Insert("c", [new BsonDocument().Add("_id", id)], null);
        return client.WriteAsync("app", command, sequences, CancellationToken.None);
    }
}
