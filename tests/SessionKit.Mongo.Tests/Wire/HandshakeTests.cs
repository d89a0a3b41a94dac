using SessionKit.Mongo.Tests.Peer;
using SessionKit.Mongo.Wire.Bson;
using SessionKit.Mongo.Wire.Protocol;

namespace SessionKit.Mongo.Tests.Wire;

/// <summary>The handshake as the peer receives it, and the limits the client takes from it.</summary>
public sealed class HandshakeTests : IAsyncLifetime
{
    private readonly WirePeer _peer = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public async Task The_first_command_is_is_master_with_hello_ok_and_client_metadata_under_512_bytes()
    {
        await using var client = ClientFaultTests.NewClient(_peer.Address, "&appName=shop-api");

        await client.ReadAsync("admin", new BsonDocument().Add("ping", 1), CancellationToken.None);

        var hello = _peer.Received.First();
        Assert.Equal("isMaster", hello.Elements[0].Key);
        Assert.Equal(true, hello["helloOk"]);
        Assert.Equal("admin", hello["$db"]);
        var metadata = hello.GetDocument("client")!;
        Assert.Equal("SessionKit.Mongo", metadata.GetDocument("driver")!["name"]);
        Assert.Equal("shop-api", metadata.GetDocument("application")!["name"]);
        Assert.NotNull(metadata.GetDocument("os")!["type"]);
        Assert.True(BsonWriter.Encode(metadata).Length <= 512);
        Assert.DoesNotContain(_peer.Received.Skip(1), c => c.Contains("client"));
    }

    [Fact]
    public async Task A_standalone_gets_sessions_but_no_txn_number()
    {
        await using var client = ClientFaultTests.NewClient(_peer.Address);
        var (insert, sequences) = MongoCommands.Insert("c", [new BsonDocument().Add("_id", 1)], null);

        await client.WriteAsync("app", insert, sequences, CancellationToken.None);

        var received = _peer.Received.Single(c => c.Elements[0].Key == "insert");
        Assert.True(received.Contains("lsid"));
        Assert.False(received.Contains("txnNumber"));
    }

    [Fact]
    public async Task Retry_writes_false_sends_no_txn_number_on_a_replica_set()
    {
        _peer.Commands.SetName = "rs0";
        _peer.Commands.Hosts = [_peer.Address];
        await using var client = ClientFaultTests.NewClient(_peer.Address, "&replicaSet=rs0&retryWrites=false");
        var (insert, sequences) = MongoCommands.Insert("c", [new BsonDocument().Add("_id", 1)], null);

        await client.WriteAsync("app", insert, sequences, CancellationToken.None);

        Assert.False(_peer.Received.Single(c => c.Elements[0].Key == "insert").Contains("txnNumber"));
    }
}
