using System.Buffers.Binary;
using SessionKit.Mongo.Wire.Bson;
using SessionKit.Mongo.Wire.Protocol;

namespace SessionKit.Mongo.Wire.Connection;

/// <summary>
/// One socket to one server, used by one operation at a time (the pool guarantees that). Every read and write is
/// bounded by the socket timeout; any failure (timeout, early close, malformed or mismatched frame) marks the
/// connection broken so the pool discards it instead of reusing a stream in an unknown state.
/// </summary>
internal sealed class MongoConnection : IAsyncDisposable
{
    private static int s_nextRequestId;
    private readonly Stream _stream;

    public MongoConnection(MongoEndPoint endPoint, Stream stream, TimeSpan socketTimeout, int generation)
    {
        EndPoint = endPoint;
        _stream = stream;
        Timeout = socketTimeout;
        Generation = generation;
    }

    public MongoEndPoint EndPoint { get; }

    /// <summary>The pool generation the connection was opened in; a pool clear makes older connections stale.</summary>
    public int Generation { get; }

    /// <summary>The server's handshake reply on this socket (its own size limits and role).</summary>
    public HelloResult Hello { get; set; } = new();

    public bool IsBroken { get; private set; }

    /// <summary>The bound on each request/reply exchange (connectTimeoutMS during the handshake, then socketTimeoutMS).</summary>
    public TimeSpan Timeout { get; set; }

    public static int NextRequestId() => Interlocked.Increment(ref s_nextRequestId);

    /// <summary>Sends a command and returns the reply's body (kind-1 sections folded in); throws on a broken exchange, not on ok:0.</summary>
    public async Task<BsonDocument> RoundTripAsync(BsonDocument body, IReadOnlyList<OpMsgSequence> sequences, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsBroken, this);
        var request = new OpMsgMessage(NextRequestId(), 0, OpMsgFlags.None, body, sequences);
        var frame = OpMsgCodec.Encode(request, Hello.MaxBsonObjectSize);
        if (frame.Length > Hello.MaxMessageSizeBytes)
        {
            throw new WireProtocolException($"The command is {frame.Length} bytes, above the server's maxMessageSizeBytes of {Hello.MaxMessageSizeBytes}.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await _stream.WriteAsync(frame, timeout.Token).ConfigureAwait(false);
            await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
            var reply = await ReadMessageAsync(timeout.Token).ConfigureAwait(false);
            if (reply.ResponseTo != request.RequestId)
            {
                throw new WireProtocolException($"The reply answers request {reply.ResponseTo}, not {request.RequestId}.");
            }

            if (reply.Flags.HasFlag(OpMsgFlags.MoreToCome))
            {
                // Only legal after a request with exhaustAllowed, which this client never sends.
                throw new WireProtocolException("The server set moreToCome on a reply to a request that did not allow exhaust.");
            }

            return reply.MergedBody();
        }
        catch (Exception e)
        {
            IsBroken = true;
            await DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"MongoDB server {EndPoint} did not answer within the socket timeout of {Timeout.TotalSeconds:0.###} s.", e);
            }

            if (e is EndOfStreamException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                throw new IOException($"The connection to MongoDB server {EndPoint} failed: {e.Message}", e);
            }

            throw;
        }
    }

    private async Task<OpMsgMessage> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var header = new byte[OpMsgMessage.HeaderLength];
        await _stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);

        // Bound the allocation by the size the server itself announced in its handshake before trusting the header.
        if (length < OpMsgMessage.HeaderLength + 4 + 1 + 5 || length > Hello.MaxMessageSizeBytes)
        {
            throw new WireProtocolException($"The reply announces {length} bytes, outside 26..{Hello.MaxMessageSizeBytes} (maxMessageSizeBytes).");
        }

        var frame = new byte[length];
        header.CopyTo(frame, 0);
        await _stream.ReadExactlyAsync(frame.AsMemory(OpMsgMessage.HeaderLength), cancellationToken).ConfigureAwait(false);
        return OpMsgCodec.Decode(frame);
    }

    public async ValueTask DisposeAsync()
    {
        IsBroken = true;
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
