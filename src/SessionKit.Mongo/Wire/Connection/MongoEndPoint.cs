namespace SessionKit.Mongo.Wire.Connection;

/// <summary>One seed or replica-set member: host name or IP address, and port (27017 when the URI gives none).</summary>
internal sealed record MongoEndPoint(string Host, int Port)
{
    public const int DefaultPort = 27017;

    /// <summary>Parses <c>host</c>, <c>host:port</c> or <c>[ipv6]:port</c> as servers report members in <c>hosts</c>.</summary>
    public static MongoEndPoint Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            var host = value[1..close];
            return new MongoEndPoint(host, close + 1 < value.Length ? int.Parse(value.AsSpan(close + 2), System.Globalization.CultureInfo.InvariantCulture) : DefaultPort);
        }

        var colon = value.LastIndexOf(':');
        return colon < 0
            ? new MongoEndPoint(value, DefaultPort)
            : new MongoEndPoint(value[..colon], int.Parse(value.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Parses a member name from a server reply; a malformed one (a misconfigured member) is skipped, not fatal.</summary>
    public static bool TryParse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MongoEndPoint? endPoint)
    {
        endPoint = null;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        try
        {
            endPoint = Parse(value);
            return endPoint.Host.Length > 0 && endPoint.Port is > 0 and <= 65535;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
    }

    public bool Matches(MongoEndPoint other) => string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase) && Port == other.Port;

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
