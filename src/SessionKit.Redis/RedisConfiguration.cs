using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// Reads and checks the client's configuration, and tunes the connections SessionKit opens itself. Messages name the
/// problem and the item's position, never a value: any item of a configuration string may be a password.
/// </summary>
internal static class RedisConfiguration
{
    /// <summary>How often a connection SessionKit owns tries to reconnect while Redis is unreachable.</summary>
    /// <remarks>
    /// The client keeps a failed connect "connecting" until its retry policy allows the next attempt, and asks the
    /// policy only on its heartbeat. Its default (<see cref="ExponentialRetry"/> from half the connect timeout,
    /// 2.5 s, growing towards 10 s the longer the outage, the attempt count reset only once connected) therefore heals
    /// 2.5 to 10 s after Redis is back. An attempt every 750 ms, checked every 250 ms, heals within about a second; an
    /// attempt still handshaking after 750 ms is started over, so links slower than that need a policy of their own
    /// (a <see cref="ConfigurationOptions.ReconnectRetryPolicy"/> other than the default is kept).
    /// </remarks>
    public static readonly TimeSpan ReconnectInterval = TimeSpan.FromMilliseconds(750);

    /// <summary>The client's heartbeat on connections SessionKit owns (its default is 1 s).</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Parses a configuration string and checks that it names at least one usable server.</summary>
    /// <exception cref="ArgumentException">The string cannot be used; the message says why, without echoing values.</exception>
    public static ConfigurationOptions Parse(string configuration, string parameterName = "configuration")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration, parameterName);
        if (configuration.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                "The Redis configuration is a URL (redis://…); StackExchange.Redis does not read URLs. Write it as 'host:port,user=…,password=…,ssl=true' " +
                "(for Sentinel: the sentinels' 'host:port' items and 'serviceName=…').", parameterName);
        }

        var items = configuration.Split(',');
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i].Trim();
            if (item.StartsWith('='))
            {
                throw new ArgumentException($"Item {i + 1} of the Redis configuration has no option name before '='. Items are 'host:port' or 'option=value', separated by commas.", parameterName);
            }
        }

        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException exception)
        {
            // The client's own messages name the keyword (and a value only for numeric or boolean keywords).
            throw new ArgumentException($"StackExchange.Redis cannot use the Redis configuration: {exception.Message}", parameterName, exception);
        }

        Validate(options, parameterName);
        return options;
    }

    /// <summary>Checks that <paramref name="options"/> names at least one server, each a valid host and port.</summary>
    /// <exception cref="ArgumentException">It names none, or one that is not a host name or address.</exception>
    public static void Validate(ConfigurationOptions options, string parameterName = "configuration")
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException(
                "The Redis configuration names no server: add at least one 'host:port' item (for Sentinel, the sentinels' endpoints and 'serviceName=…').",
                parameterName);
        }

        for (var i = 0; i < options.EndPoints.Count; i++)
        {
            if (options.EndPoints[i] is DnsEndPoint dns && Uri.CheckHostName(dns.Host) == UriHostNameType.Unknown)
            {
                throw new ArgumentException(
                    $"Server {i + 1} of the Redis configuration is not 'host:port' (a host name or IP address, then an optional port).", parameterName);
            }
        }
    }

    /// <summary>
    /// A copy of <paramref name="options"/> for a connection SessionKit opens and owns: it never gives up connecting
    /// (an unavailable Redis must not prevent start-up, nor a dropped connection need a restart) and heals quickly.
    /// A reconnect policy other than the client's default one is kept.
    /// </summary>
    public static ConfigurationOptions ForOwnedConnection(ConfigurationOptions options)
    {
        var owned = options.Clone();
        owned.AbortOnConnectFail = false;
        if (owned.ReconnectRetryPolicy is null or ExponentialRetry)
        {
            owned.ReconnectRetryPolicy = new LinearRetry((int)ReconnectInterval.TotalMilliseconds);
        }

        if (owned.HeartbeatInterval > HeartbeatInterval)
        {
            owned.HeartbeatInterval = HeartbeatInterval;
        }

        // The client's default reads sockets on a dedicated pool of its own threads and then queues each completion
        // to the .NET thread pool: two thread hand-offs per reply, which on a small machine cost more CPU than the
        // round trip itself. Reading on the thread pool removes one; an app that blocks pool threads (sync over async)
        // should pass its own SocketManager, which is kept. (3.x no longer uses a SocketManager: no effect there.)
        owned.SocketManager ??= SocketManager.ThreadPool;

        return owned;
    }

    /// <summary>The servers of <paramref name="options"/>, for messages (never a credential).</summary>
    public static string Describe(ConfigurationOptions options)
        => options.ServiceName is { Length: > 0 } service
            ? $"service '{service}' via sentinels {Endpoints(options.EndPoints)}"
            : Endpoints(options.EndPoints);

    /// <summary>Endpoints as <c>host:port</c>, comma-separated.</summary>
    public static string Endpoints(IEnumerable<EndPoint> endpoints)
        => string.Join(", ", endpoints.Select(Format));

    /// <summary>One endpoint as <c>host:port</c>.</summary>
    public static string Format(EndPoint? endpoint) => endpoint switch
    {
        DnsEndPoint dns => dns.Host + ":" + dns.Port.ToString(CultureInfo.InvariantCulture),
        IPEndPoint ip => ip.ToString(),
        null => "(unknown server)",
        _ => endpoint.ToString() ?? "(unknown server)",
    };
}
