using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SessionKit.Mongo.Wire.Bson;
using SessionKit.Mongo.Wire.Protocol;

namespace SessionKit.Mongo.Tests.Peer;

/// <summary>
/// An in-process MongoDB wire peer for tests: a TcpListener on 127.0.0.1 speaking OP_MSG. It answers the handshake
/// (as a standalone, or as a replica-set member), runs SCRAM when given a user, keeps documents in memory and
/// evaluates the commands the session store sends (<see cref="PeerCommands"/>). Tests can inject faults per command.
/// </summary>
internal sealed class WirePeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly Task _acceptLoop;
    private int _disposed;

    public WirePeer(PeerCommands? commands = null)
    {
        Commands = commands ?? new PeerCommands(new PeerStorage());
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Commands.Me = "127.0.0.1:" + Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Makes this peer the primary of a one-member replica set (so sessions and retryable writes are in play).</summary>
    public WirePeer AsReplicaSetPrimary(string setName = "rs0")
    {
        Commands.SetName = setName;
        Commands.Hosts = [Address];
        Commands.PrimaryHint = Address;
        return this;
    }

    public string Address => "127.0.0.1:" + Port;

    public PeerCommands Commands { get; }

    /// <summary>Decides, per received command, whether to misbehave; null means answer normally.</summary>
    public Func<BsonDocument, PeerFault?>? Fault { get; set; }

    /// <summary>Every command received, in order (merged with its kind-1 sections).</summary>
    public ConcurrentQueue<BsonDocument> Received { get; } = new();

    /// <summary>Every message received, as framed (body and kind-1 sections apart).</summary>
    public ConcurrentQueue<OpMsgMessage> ReceivedMessages { get; } = new();

    public int ConnectionsAccepted => _clients.Count;

    /// <summary>When set, every connection is TLS with this server certificate.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; set; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _clients.Add(client);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var connection = new PeerConnection();
        try
        {
            Stream stream = client.GetStream();
            if (Certificate is not null)
            {
                var ssl = new System.Net.Security.SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsServerAsync(Certificate, clientCertificateRequired: false, checkCertificateRevocation: false);
                stream = ssl;
            }

            var header = new byte[16];
            while (!_stop.IsCancellationRequested)
            {
                await stream.ReadExactlyAsync(header, _stop.Token);
                var frame = new byte[BinaryPrimitives.ReadInt32LittleEndian(header)];
                header.CopyTo(frame, 0);
                await stream.ReadExactlyAsync(frame.AsMemory(16), _stop.Token);
                var request = OpMsgCodec.Decode(frame);
                var command = request.MergedBody();
                Received.Enqueue(command);
                ReceivedMessages.Enqueue(request);
                var fault = Fault?.Invoke(command);
                if (fault is PeerFault.Silence)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                var body = fault is PeerFault.Reply reply ? reply.Document : ExecuteOrReport(command, connection);
                var replyFrame = OpMsgCodec.Encode(new OpMsgMessage(Random.Shared.Next(), request.RequestId, OpMsgFlags.None, body, []));
                switch (fault)
                {
                    case PeerFault.CloseMidReply:
                        await stream.WriteAsync(replyFrame.AsMemory(0, replyFrame.Length / 2), _stop.Token);
                        client.Close();
                        return;
                    case PeerFault.ReplyLargerThanAnnounced:
                        BinaryPrimitives.WriteInt32LittleEndian(replyFrame, replyFrame.Length - 8);
                        break;
                    case PeerFault.WrongResponseTo:
                        BinaryPrimitives.WriteInt32LittleEndian(replyFrame.AsSpan(8), request.RequestId + 1000);
                        break;
                }

                await stream.WriteAsync(replyFrame, _stop.Token);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or SocketException or System.Security.Authentication.AuthenticationException)
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
        catch (Exception e) when (e is NotSupportedException or InvalidCastException or NullReferenceException or ArgumentException)
        {
            return new BsonDocument().Add("ok", 0.0).Add("errmsg", "test peer: " + e.Message).Add("code", 2).Add("codeName", "BadValue");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _acceptLoop;
        _stop.Dispose();
    }
}
