using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MongoDB.Bson;

namespace SessionKit.Testing.Mongo;

/// <summary>
/// An in-process MongoDB wire peer for tests, answering the official driver over loopback TCP: OP_QUERY (the driver's
/// first handshake and authentication) and OP_MSG, as a standalone or as the primary of a one-member replica set (so
/// that sessions and retryable writes with <c>txnNumber</c> are in play), SCRAM when given a user, and the commands of
/// <see cref="PeerCommands"/> on in-memory documents. Tests inject faults per command, and can stop the peer (connections
/// refused) and start it again on the same port.
/// </summary>
public sealed class WirePeer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<TcpClient, bool> _clients = new();
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();
    private Task _acceptLoop = Task.CompletedTask;

    public WirePeer(PeerCommands? commands = null)
    {
        Commands = commands ?? new PeerCommands(new PeerStorage());
        Start();
        Commands.Me = Address;
    }

    public int Port { get; private set; }

    public string Address => "127.0.0.1:" + Port;

    public PeerCommands Commands { get; }

    /// <summary>Decides, per received command, whether to misbehave; null means answer normally.</summary>
    public Func<BsonDocument, PeerFault?>? Fault { get; set; }

    /// <summary>Every command received, in order (OP_MSG document sequences merged in as arrays).</summary>
    public ConcurrentQueue<BsonDocument> Received { get; } = new();

    /// <summary>How many commands arrived as legacy OP_QUERY.</summary>
    public int OpQueryCount => _opQueries;

    private int _opQueries;

    /// <summary>Makes this peer the primary of a one-member replica set (so sessions and retryable writes are in play).</summary>
    public WirePeer AsReplicaSetPrimary(string setName = "rs0")
    {
        Commands.SetName = setName;
        return this;
    }

    /// <summary>A connection string for this peer: its replica set when it acts as one, the given database and options.</summary>
    public string ConnectionString(string database = "app", string options = "")
        => $"mongodb://{Address}/{database}?" + (Commands.SetName is { } set ? "replicaSet=" + set : "directConnection=true") + (options.Length > 0 ? "&" + options : "");

    /// <summary>Listens (again) on the peer's port; the first call picks a free one.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _listener = listener;
            _stop = new CancellationTokenSource();
            _acceptLoop = AcceptAsync(listener, _stop.Token);
        }
    }

    /// <summary>Stops listening and drops every connection: the server is unreachable (connections are refused) until <see cref="Start"/>.</summary>
    public async Task StopAsync()
    {
        TcpListener? listener;
        CancellationTokenSource stop;
        Task acceptLoop;
        lock (_gate)
        {
            (listener, stop, acceptLoop) = (_listener, _stop, _acceptLoop);
            _listener = null;
        }

        if (listener is null)
        {
            return;
        }

        await stop.CancelAsync();
        listener.Stop();
        foreach (var client in _clients.Keys)
        {
            client.Dispose();
        }

        _clients.Clear();
        await acceptLoop;
        stop.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }

            _clients[client] = true;
            _ = Task.Run(() => ServeAsync(client, stop), CancellationToken.None);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stop)
    {
        var connection = new PeerConnection();
        try
        {
            var stream = client.GetStream();
            var header = new byte[16];
            while (!stop.IsCancellationRequested)
            {
                await stream.ReadExactlyAsync(header, stop);
                var frame = new byte[BinaryPrimitives.ReadInt32LittleEndian(header)];
                header.CopyTo(frame, 0);
                await stream.ReadExactlyAsync(frame.AsMemory(16), stop);
                var request = WireMessage.Decode(frame);
                if (request.OpCode == WireMessage.OpQuery)
                {
                    Interlocked.Increment(ref _opQueries);
                }

                Received.Enqueue(request.Command);
                var fault = Fault?.Invoke(request.Command);
                switch (fault)
                {
                    case PeerFault.Silence:
                        await Task.Delay(Timeout.Infinite, stop);
                        break;
                    case PeerFault.Delay delay:
                        await Task.Delay(delay.Duration, stop);
                        break;
                }

                var reply = fault is PeerFault.Reply replacement ? replacement.Document : ExecuteOrReport(request.Command, connection);
                switch (fault)
                {
                    case PeerFault.CloseAfterRunning:
                        return;
                    case PeerFault.Delay { Ran: { } ran }:
                        ran.TrySetResult();
                        break;
                    case PeerFault.DelayReply late:
                        await Task.Delay(late.Duration, stop);
                        break;
                }

                await stream.WriteAsync(request.EncodeReply(reply), stop);
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or SocketException)
        {
            // The client went away: nothing to serve.
        }
        catch (Exception e)
        {
            // A peer bug must be visible in the test output, not only as a closed socket.
            Console.WriteLine("WirePeer failed: " + e);
        }
        finally
        {
            _clients.TryRemove(client, out _);
            client.Dispose();
        }
    }

    /// <summary>A command the peer cannot evaluate becomes an error reply naming the problem, so the test says why.</summary>
    private BsonDocument ExecuteOrReport(BsonDocument command, PeerConnection connection)
    {
        try
        {
            return Commands.Execute(command, connection);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidCastException or KeyNotFoundException or ArgumentException)
        {
            Console.WriteLine("WirePeer cannot evaluate " + command.ToJson() + ": " + e.Message);
            return new BsonDocument { { "ok", 0.0 }, { "errmsg", "test peer: " + e.Message }, { "code", 2 }, { "codeName", "BadValue" } };
        }
    }
}
