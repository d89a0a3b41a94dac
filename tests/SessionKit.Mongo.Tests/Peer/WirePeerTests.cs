using MongoDB.Bson;
using MongoDB.Driver;
using SessionKit.Testing.Mongo;

namespace SessionKit.Mongo.Tests.Peer;

/// <summary>
/// The in-process peer answers the official driver the way a server does, so that the store's tests exercise the
/// driver for real: the legacy OP_QUERY handshake, SCRAM, <c>connectionId</c>, values compared by value, standalone and
/// replica-set modes, and retryable writes applied once.
/// </summary>
public sealed class WirePeerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_driver_connects_in_either_mode_and_its_first_handshake_is_an_op_query(bool replicaSet)
    {
        await using var peer = new WirePeer();
        if (replicaSet)
        {
            peer.AsReplicaSetPrimary();
        }

        using var client = new MongoClient(peer.ConnectionString("app", "serverSelectionTimeoutMS=5000"));
        var collection = client.GetDatabase("app").GetCollection<BsonDocument>("things");

        await collection.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "name", "one" } });
        var found = await collection.Find(new BsonDocument("_id", 1)).FirstOrDefaultAsync();

        Assert.Equal("one", found["name"].AsString);
        Assert.True(peer.OpQueryCount > 0, "The driver's first handshake arrived as OP_QUERY.");
        Assert.Contains(peer.Received, c => c.GetElement(0).Name == "insert");
        var insert = peer.Received.First(c => c.GetElement(0).Name == "insert");
        Assert.Equal(replicaSet, insert.Contains("txnNumber"));
    }

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-1")]
    public async Task The_driver_authenticates_with_scram_and_a_wrong_password_is_refused(string mechanism)
    {
        await using var peer = new WirePeer().AsReplicaSetPrimary();
        peer.Commands.User = ("app", "s3cret-pw", [mechanism]);

        using var good = new MongoClient(peer.ConnectionString("app", "authSource=admin&serverSelectionTimeoutMS=5000").Replace("mongodb://", "mongodb://app:s3cret-pw@", StringComparison.Ordinal));
        await good.GetDatabase("app").GetCollection<BsonDocument>("c").InsertOneAsync(new BsonDocument("_id", 1));

        using var bad = new MongoClient(peer.ConnectionString("app", "authSource=admin&serverSelectionTimeoutMS=5000").Replace("mongodb://", "mongodb://app:wrong@", StringComparison.Ordinal));
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => bad.GetDatabase("app").GetCollection<BsonDocument>("c").InsertOneAsync(new BsonDocument("_id", 2)));

        Assert.True(failure is MongoAuthenticationException or TimeoutException, failure.ToString());
        Assert.DoesNotContain("wrong", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains(peer.Received, c => c.GetElement(0).Name == "saslContinue");
    }

    [Fact]
    public async Task Object_ids_and_binaries_are_compared_by_value()
    {
        await using var peer = new WirePeer();
        using var client = new MongoClient(peer.ConnectionString());
        var collection = client.GetDatabase("app").GetCollection<BsonDocument>("ids");
        var ids = Enumerable.Range(0, 5).Select(_ => ObjectId.GenerateNewId()).ToArray();
        foreach (var id in ids)
        {
            await collection.InsertOneAsync(new BsonDocument { { "_id", id }, { "bin", new BsonBinaryData(id.ToByteArray()) } });
        }

        var byId = await collection.Find(new BsonDocument("_id", ids[3])).ToListAsync();
        var byBinary = await collection.Find(new BsonDocument("bin", new BsonBinaryData(ids[1].ToByteArray()))).ToListAsync();

        Assert.Equal(ids[3], Assert.Single(byId)["_id"].AsObjectId);
        Assert.Equal(ids[1], Assert.Single(byBinary)["_id"].AsObjectId);
    }

    [Fact]
    public async Task A_retryable_write_whose_reply_is_lost_is_retried_by_the_driver_and_applied_once()
    {
        await using var peer = new WirePeer().AsReplicaSetPrimary();
        using var client = new MongoClient(peer.ConnectionString("app", "serverSelectionTimeoutMS=5000"));
        var collection = client.GetDatabase("app").GetCollection<BsonDocument>("counters");
        await collection.InsertOneAsync(new BsonDocument { { "_id", "c" }, { "n", 0 } });
        var lost = 0;
        peer.Fault = command => command.GetElement(0).Name == "update" && Interlocked.Increment(ref lost) == 1 ? new PeerFault.CloseAfterRunning() : null;

        await collection.UpdateOneAsync(new BsonDocument("_id", "c"), new BsonDocument("$inc", new BsonDocument("n", 1)));

        Assert.Equal(1, (await collection.Find(new BsonDocument("_id", "c")).FirstAsync())["n"].AsInt32);
        Assert.Equal(2, lost);
        Assert.Equal(1, peer.Commands.RetriesAnsweredOnce);
    }

    [Fact]
    public async Task Every_connection_gets_its_own_connection_id()
    {
        await using var peer = new WirePeer();
        using var client = new MongoClient(peer.ConnectionString());
        await client.GetDatabase("app").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));

        var hello = await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1));

        Assert.True(hello["connectionId"].AsInt32 > 0);
    }
}
