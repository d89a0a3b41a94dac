using System.Net;
using System.Net.Sockets;

namespace SessionKit.Redis;

/// <summary>
/// Tells why a server cannot be reached when the client only says "unable to connect": one TCP connect, bounded, run
/// when a connection fails (never on a request path), so that the log says "refused", "timed out" or "host not found".
/// </summary>
internal static class RedisEndpointProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static async Task<string> DiagnoseAsync(EndPoint? endpoint)
    {
        if (endpoint is null)
        {
            return "no server known";
        }

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            return "the server accepts TCP connections but did not complete the Redis handshake (timed out, TLS or protocol mismatch)";
        }
        catch (OperationCanceledException)
        {
            return $"TCP connect timed out after {Timeout.TotalSeconds:0} s";
        }
        catch (SocketException exception)
        {
            return exception.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.TimedOut => "TCP connect timed out",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
                var other => "socket error " + other,
            };
        }
    }
}
