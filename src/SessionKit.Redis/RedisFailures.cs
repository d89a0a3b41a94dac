using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// Tells the client's infrastructure failures (no connection, no reply in time, a server that is loading, read-only
/// or failing over) from everything else (a script or encoding bug, a refused command), and describes them.
/// </summary>
internal static class RedisFailures
{
    // Server error codes that say "not now" rather than "never": the server is starting, replicating, failing over,
    // or out of memory, and the same command succeeds once it is over.
    private static readonly string[] TransientServerErrors = ["LOADING", "READONLY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "NOREPLICAS", "BUSY", "OOM"];

    /// <summary>Whether <paramref name="exception"/> is an outage of Redis rather than a bug.</summary>
    public static bool IsInfrastructure(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException server => TransientServerErrors.Contains(ErrorCode(server.Message), StringComparer.Ordinal),
        _ => false,
    };

    /// <summary>What went wrong, in a few words (never a credential or a key).</summary>
    public static string Cause(Exception exception) => exception switch
    {
        RedisConnectionException connection when connection.Message.Contains("timed out in the backlog", StringComparison.Ordinal)
            => "no connection became available in time",
        RedisConnectionException connection => Describe(connection.FailureType),
        RedisTimeoutException => "no reply within the client's timeout",
        RedisServerException server => "the server answered " + ErrorCode(server.Message),
        _ => exception.GetType().Name,
    };

    /// <summary>A connection failure type in words.</summary>
    public static string Describe(ConnectionFailureType failure) => failure switch
    {
        ConnectionFailureType.UnableToConnect => "unable to connect",
        ConnectionFailureType.AuthenticationFailure => "authentication failed (user or password refused)",
        ConnectionFailureType.SocketFailure or ConnectionFailureType.SocketClosed => "connection lost",
        ConnectionFailureType.Loading => "the server is loading its data set",
        ConnectionFailureType.ConnectionDisposed => "connection disposed",
        ConnectionFailureType.UnableToResolvePhysicalConnection => "no server available for the command",
        _ => failure.ToString(),
    };

    /// <summary>The error code of a server error message: its first word.</summary>
    private static string ErrorCode(string message)
    {
        var space = message.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? message : message[..space];
    }
}
