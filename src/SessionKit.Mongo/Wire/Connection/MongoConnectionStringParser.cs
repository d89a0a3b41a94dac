using System.Globalization;
using System.Text;

namespace SessionKit.Mongo.Wire.Connection;

/// <summary>
/// Parses <c>mongodb://[user[:password]@]host[:port][,host…][/[database]][?options]</c> per the MongoDB
/// connection-string spec, for the options this client supports. It is stricter than the spec in one way: where the
/// spec lets a driver warn and ignore (an unknown option, an invalid value, a repeated key), this parser refuses the
/// string, because a silently ignored setting in a session store's configuration is a security hazard.
/// </summary>
internal static class MongoConnectionStringParser
{
    /// <summary>The options this client implements, lowercase.</summary>
    public static readonly IReadOnlySet<string> SupportedOptions = new HashSet<string>(StringComparer.Ordinal)
    {
        "appname", "authsource", "authmechanism", "replicaset", "directconnection", "tls", "ssl", "tlscafile",
        "tlsallowinvalidcertificates", "tlsallowinvalidhostnames", "tlsinsecure", "connecttimeoutms", "sockettimeoutms",
        "serverselectiontimeoutms", "waitqueuetimeoutms", "maxpoolsize", "w", "wtimeoutms", "journal", "retrywrites",
    };

    private const string Scheme = "mongodb://";
    private static readonly System.Buffers.SearchValues<char> ReservedInUserInfo = System.Buffers.SearchValues.Create(":/@?#[]");
    private static readonly System.Buffers.SearchValues<char> InvalidInDatabase = System.Buffers.SearchValues.Create("/\\ \"$");

    public static MongoConnectionSettings Parse(string connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            throw new MongoConnectionStringException("The MongoDB connection string is empty.");
        }

        if (connectionString.StartsWith("mongodb+srv://", StringComparison.OrdinalIgnoreCase))
        {
            throw MongoConnectionStringException.Unsupported("The mongodb+srv:// scheme (DNS seed lists) — list the hosts in a mongodb:// string instead, e.g. mongodb://host1,host2,host3/?replicaSet=rs0&tls=true, which");
        }

        if (!connectionString.StartsWith(Scheme, StringComparison.Ordinal))
        {
            throw new MongoConnectionStringException("A MongoDB connection string starts with mongodb://.");
        }

        var rest = connectionString[Scheme.Length..];
        var query = "";
        var questionMark = rest.IndexOf('?', StringComparison.Ordinal);
        if (questionMark >= 0)
        {
            query = rest[(questionMark + 1)..];
            rest = rest[..questionMark];
        }

        string? userInfo = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            userInfo = rest[..at];
            rest = rest[(at + 1)..];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hostPart = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 && slash + 1 < rest.Length ? Decode(rest[(slash + 1)..], "database name") : null;
        if (database is not null && database.AsSpan().IndexOfAny(InvalidInDatabase) >= 0)
        {
            throw new MongoConnectionStringException($"The database name \"{database}\" contains a character MongoDB does not allow (/\\ \"$ or space).");
        }

        var (username, password) = ParseUserInfo(userInfo);
        var (hosts, hasPort) = ParseHosts(hostPart);
        var options = ParseOptions(query);
        return Build(hosts, hasPort, username, password, database, options);
    }

    private static (string? Username, string? Password) ParseUserInfo(string? userInfo)
    {
        if (userInfo is null)
        {
            return (null, null);
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var rawUser = colon >= 0 ? userInfo[..colon] : userInfo;
        var rawPassword = colon >= 0 ? userInfo[(colon + 1)..] : null;
        foreach (var (part, what) in new[] { (rawUser, "user name"), (rawPassword ?? "", "password") })
        {
            if (part.AsSpan().IndexOfAny(ReservedInUserInfo) >= 0)
            {
                throw new MongoConnectionStringException($"The {what} contains an unescaped reserved character (: / @ ? # [ ]); percent-encode it.");
            }
        }

        var username = Decode(rawUser, "user name");
        if (username.Length == 0)
        {
            throw new MongoConnectionStringException("The connection string has credentials (an @) but an empty user name.");
        }

        return (username, rawPassword is null ? null : Decode(rawPassword, "password"));
    }

    private static (List<MongoEndPoint> Hosts, List<bool> HasPort) ParseHosts(string hostPart)
    {
        if (hostPart.Length == 0)
        {
            throw new MongoConnectionStringException("The connection string names no host.");
        }

        var hosts = new List<MongoEndPoint>();
        var hasPort = new List<bool>();
        foreach (var raw in hostPart.Split(','))
        {
            string host;
            string? port = null;
            if (raw.StartsWith('['))
            {
                var close = raw.IndexOf(']', StringComparison.Ordinal);
                if (close < 0 || (close + 1 < raw.Length && raw[close + 1] != ':'))
                {
                    throw new MongoConnectionStringException($"The IP literal host \"{raw}\" is malformed.");
                }

                host = raw[1..close];
                port = close + 1 < raw.Length ? raw[(close + 2)..] : null;
            }
            else
            {
                var colon = raw.IndexOf(':', StringComparison.Ordinal);
                host = Decode(colon >= 0 ? raw[..colon] : raw, "host");
                port = colon >= 0 ? raw[(colon + 1)..] : null;
            }

            if (host.Length == 0)
            {
                throw new MongoConnectionStringException("The connection string has an empty host.");
            }

            if (host.EndsWith(".sock", StringComparison.OrdinalIgnoreCase) || host.Contains('/', StringComparison.Ordinal))
            {
                throw MongoConnectionStringException.Unsupported($"The Unix domain socket host \"{host}\"");
            }

            hosts.Add(new MongoEndPoint(host, port is null ? MongoEndPoint.DefaultPort : ParsePort(port, raw)));
            hasPort.Add(port is not null);
        }

        return (hosts, hasPort);
    }

    private static int ParsePort(string port, string raw)
    {
        if (port.Length == 0 || !port.All(char.IsAsciiDigit) || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535)
        {
            throw new MongoConnectionStringException($"The host \"{raw}\" has an invalid port (1-65535).");
        }

        return value;
    }

    private static Dictionary<string, string> ParseOptions(string query)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        if (query.Length == 0)
        {
            return options;
        }

        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new MongoConnectionStringException($"The option \"{pair}\" is not a key=value pair.");
            }

            var key = Decode(pair[..equals], "option name").ToLowerInvariant();
            var value = Decode(pair[(equals + 1)..], "option value");
            if (!SupportedOptions.Contains(key))
            {
                throw MongoConnectionStringException.Unsupported($"The connection-string option \"{pair[..equals]}\"");
            }

            if (!options.TryAdd(key, value))
            {
                throw new MongoConnectionStringException($"The option \"{key}\" is given more than once.");
            }

            if (value.Length == 0)
            {
                throw new MongoConnectionStringException($"The option \"{key}\" has an empty value.");
            }
        }

        return options;
    }

    private static MongoConnectionSettings Build(List<MongoEndPoint> hosts, List<bool> hasPort, string? username, string? password, string? database, Dictionary<string, string> options)
    {
        var mechanism = options.GetValueOrDefault("authmechanism");
        if (mechanism is not null && mechanism is not ("SCRAM-SHA-256" or "SCRAM-SHA-1"))
        {
            throw MongoConnectionStringException.Unsupported($"The authentication mechanism \"{mechanism}\" (only SCRAM-SHA-256 and SCRAM-SHA-1 are)");
        }

        if (mechanism is not null && username is null)
        {
            throw new MongoConnectionStringException($"authMechanism={mechanism} needs a user name in the connection string.");
        }

        var tls = Bool(options, "tls");
        var ssl = Bool(options, "ssl");
        if (tls is not null && ssl is not null && tls != ssl)
        {
            throw new MongoConnectionStringException("tls and ssl are the same option and must not disagree.");
        }

        var insecure = Bool(options, "tlsinsecure");
        var invalidCertificates = Bool(options, "tlsallowinvalidcertificates");
        var invalidHostnames = Bool(options, "tlsallowinvalidhostnames");
        if (insecure is not null && (invalidCertificates is not null || invalidHostnames is not null))
        {
            throw new MongoConnectionStringException("tlsInsecure cannot be combined with tlsAllowInvalidCertificates or tlsAllowInvalidHostnames.");
        }

        var direct = Bool(options, "directconnection") ?? false;
        if (direct && hosts.Count > 1)
        {
            throw new MongoConnectionStringException("directConnection=true needs exactly one host.");
        }

        object? w = options.TryGetValue("w", out var wText)
            ? int.TryParse(wText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var wNumber) ? (wNumber >= 0 ? wNumber : throw new MongoConnectionStringException("w cannot be negative.")) : wText
            : null;
        var journal = Bool(options, "journal");
        if (w is 0 && journal == true)
        {
            throw new MongoConnectionStringException("w=0 with journal=true is contradictory.");
        }

        var defaults = new MongoConnectionSettings { Hosts = hosts, HostHasPort = hasPort, Options = options };
        return defaults with
        {
            Username = username,
            Password = password,
            Database = database,
            AuthSourceOption = options.GetValueOrDefault("authsource"),
            AuthMechanism = mechanism,
            ReplicaSet = options.GetValueOrDefault("replicaset"),
            DirectConnection = direct,
            Tls = tls ?? ssl ?? false,
            TlsCaFile = options.GetValueOrDefault("tlscafile"),
            TlsAllowInvalidCertificates = insecure ?? invalidCertificates ?? false,
            TlsAllowInvalidHostnames = insecure ?? invalidHostnames ?? false,
            ConnectTimeout = Milliseconds(options, "connecttimeoutms") ?? defaults.ConnectTimeout,
            SocketTimeout = Milliseconds(options, "sockettimeoutms") ?? defaults.SocketTimeout,
            ServerSelectionTimeout = Milliseconds(options, "serverselectiontimeoutms") ?? defaults.ServerSelectionTimeout,
            WaitQueueTimeout = Milliseconds(options, "waitqueuetimeoutms") ?? defaults.WaitQueueTimeout,
            MaxPoolSize = Integer(options, "maxpoolsize") is { } pool ? (pool > 0 ? pool : defaults.MaxPoolSize) : defaults.MaxPoolSize,
            W = w,
            WTimeout = Milliseconds(options, "wtimeoutms"),
            Journal = journal,
            RetryWrites = Bool(options, "retrywrites") ?? true,
            AppName = options.GetValueOrDefault("appname") is { } app && Encoding.UTF8.GetByteCount(app) > 128
                ? throw new MongoConnectionStringException("appName is longer than 128 bytes.")
                : options.GetValueOrDefault("appname"),
        };
    }

    private static bool? Bool(Dictionary<string, string> options, string key) => options.TryGetValue(key, out var value)
        ? value switch
        {
            "true" => true,
            "false" => false,
            _ => throw new MongoConnectionStringException($"The option \"{key}\" must be true or false, not \"{value}\"."),
        }
        : null;

    private static int? Integer(Dictionary<string, string> options, string key) => options.TryGetValue(key, out var value)
        ? int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new MongoConnectionStringException($"The option \"{key}\" must be a non-negative integer, not \"{value}\".")
        : null;

    /// <summary>A millisecond option; 0 means "no limit" in the spec, which this client maps to its default so that no wait is unbounded.</summary>
    private static TimeSpan? Milliseconds(Dictionary<string, string> options, string key)
        => Integer(options, key) is { } ms && ms > 0 ? TimeSpan.FromMilliseconds(ms) : null;

    private static string Decode(string value, string what)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2])))
            {
                throw new MongoConnectionStringException($"The {what} has a % that does not start a percent-encoded byte (%XX).");
            }
        }

        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException e)
        {
            throw new MongoConnectionStringException($"The {what} is not valid percent-encoded UTF-8.", e);
        }
    }
}
