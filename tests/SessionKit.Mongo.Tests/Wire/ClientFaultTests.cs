using SessionKit.Mongo.Tests.Peer;
using SessionKit.Mongo.Wire.Bson;
using SessionKit.Mongo.Wire.Connection;
using SessionKit.Mongo.Wire.Protocol;

namespace SessionKit.Mongo.Tests.Wire;

/// <summary>
/// The client against a misbehaving peer: each fault ends in a clear exception or one retry, never a hang (every
/// wait is bounded) and never a corrupted pool (the next command on the same client works, nothing stays checked out).
/// </summary>
public sealed class ClientFaultTests : IAsyncLifetime
{
    private readonly WirePeer _peer = new();
    private MongoClient _client = null!;

    public ValueTask InitializeAsync()
    {
        _client = NewClient(_peer.Address);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _peer.DisposeAsync();
    }

    /// <summary>A client with short timeouts; <paramref name="extra"/> (<c>&amp;key=value…</c>) adds or overrides options.</summary>
    internal static MongoClient NewClient(string hosts, string extra = "")
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["connectTimeoutMS"] = "5000", ["socketTimeoutMS"] = "3000", ["serverSelectionTimeoutMS"] = "5000", ["waitQueueTimeoutMS"] = "3000",
        };
        foreach (var pair in extra.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            options[pair.Split('=')[0]] = pair.Split('=')[1];
        }

        return new(MongoConnectionStringParser.Parse($"mongodb://{hosts}/?" + string.Join("&", options.Select(o => o.Key + "=" + o.Value))));
    }

    public static TheoryData<string> BrokenReplies => new() { nameof(PeerFault.CloseMidReply), nameof(PeerFault.ReplyLargerThanAnnounced), nameof(PeerFault.WrongResponseTo), nameof(PeerFault.Silence) };

    [Theory]
    [MemberData(nameof(BrokenReplies))]
    public async Task A_broken_reply_to_a_write_on_a_standalone_is_a_clear_error_and_the_pool_stays_usable(string fault)
    {
        _peer.Fault = command => command.Elements[0].Key == "insert" ? Make(fault) : null;

        var error = await Record.ExceptionAsync(() => InsertAsync("a"));

        // A standalone has no retryable writes: the write is not retried, the error says what happened.
        Assert.True(error is IOException or WireProtocolException or TimeoutException, $"{fault}: unexpected {error}");
        _peer.Fault = null;
        await InsertAsync("b");
        Assert.Equal(0, _client.Topology.Pool(new MongoEndPoint("127.0.0.1", _peer.Port)).InUse);
        // The broken reply may come after the peer stored "a": the client cannot know, which is why such writes are
        // only retried where the server deduplicates them (retryable writes with a txnNumber).
        Assert.Contains("b", _peer.Commands.Storage.Collection("app.c").Select(d => d["_id"]));
    }

    [Theory]
    [MemberData(nameof(BrokenReplies))]
    public async Task A_read_whose_reply_breaks_once_is_retried_once_and_succeeds(string fault)
    {
        await InsertAsync("a");
        var faults = 0;
        _peer.Fault = command => command.Elements[0].Key == "find" && Interlocked.Increment(ref faults) == 1 ? Make(fault) : null;

        var reply = await _client.ReadAsync("app", MongoCommands.Find("c", []), CancellationToken.None);

        Assert.Single(reply.GetDocument("cursor")!.GetArray("firstBatch")!);
        Assert.Equal(2, _peer.Received.Count(c => c.Elements[0].Key == "find"));
    }

    [Fact]
    public async Task A_reply_above_the_servers_announced_maximum_message_size_is_refused()
    {
        _peer.Commands.MaxMessageSizeBytes = 200;
        await using var client = NewClient(_peer.Address);
        _peer.Fault = command => command.Elements[0].Key == "ping"
            ? new PeerFault.Reply(new BsonDocument().Add("ok", 1.0).Add("padding", new string('x', 400)))
            : null;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.WriteOnceAsync("admin", new BsonDocument().Add("ping", 1), CancellationToken.None));

        Assert.Contains("maxMessageSizeBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_pool_is_exhausted_a_caller_waits_at_most_the_wait_queue_timeout()
    {
        await using var client = NewClient(_peer.Address, "&maxPoolSize=1&waitQueueTimeoutMS=200&socketTimeoutMS=3000");
        await client.ReadAsync("admin", new BsonDocument().Add("ping", 1), CancellationToken.None);
        _peer.Fault = command => command.Elements[0].Key == "find" ? new PeerFault.Silence() : null;
        var slow = client.WriteOnceAsync("app", MongoCommands.Find("c", []), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ConnectionPoolTimeoutException>(() => client.WriteOnceAsync("admin", new BsonDocument().Add("ping", 1), CancellationToken.None));

        Assert.Contains("waitQueueTimeoutMS", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<TimeoutException>(() => slow);
    }

    [Fact]
    public async Task A_server_error_reply_surfaces_its_code_and_message()
    {
        _peer.Fault = command => command.Elements[0].Key == "ping"
            ? new PeerFault.Reply(new BsonDocument().Add("ok", 0.0).Add("errmsg", "boom").Add("code", 2).Add("codeName", "BadValue"))
            : null;

        var error = await Assert.ThrowsAsync<MongoServerException>(() => _client.WriteOnceAsync("admin", new BsonDocument().Add("ping", 1), CancellationToken.None));

        Assert.Equal(2, error.Code);
        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
    }

    private Task InsertAsync(string id)
    {
        var (command, sequences) = MongoCommands.Insert("c", [new BsonDocument().Add("_id", id)], null);
        return _client.WriteAsync("app", command, sequences, CancellationToken.None);
    }

    private static PeerFault Make(string fault) => fault switch
    {
        nameof(PeerFault.CloseMidReply) => new PeerFault.CloseMidReply(),
        nameof(PeerFault.ReplyLargerThanAnnounced) => new PeerFault.ReplyLargerThanAnnounced(),
        nameof(PeerFault.WrongResponseTo) => new PeerFault.WrongResponseTo(),
        _ => new PeerFault.Silence(),
    };
}
