using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// Reads each primary's <c>maxmemory-policy</c> (from <c>INFO memory</c>: no admin mode, no CONFIG permission). Every key
/// SessionKit writes carries a TTL, so both the <c>volatile-*</c> and the <c>allkeys-*</c> policies can evict them
/// under memory pressure, and one eviction can drop a subject's index apart from its sessions (revoking that user then
/// misses them) or a session a user is still using. Only <c>noeviction</c> is safe: a full Redis then refuses writes
/// (sign-ins answer 503) instead of forgetting.
/// </summary>
internal static class RedisEvictionPolicy
{
    public const string Supported = "noeviction";

    /// <summary>One server's finding.</summary>
    /// <param name="Server">The server, <c>host:port</c>.</param>
    /// <param name="Policy">Its policy, or <see langword="null"/> when it could not be read.</param>
    /// <param name="MaxMemory">Its <c>maxmemory</c> in bytes (0: no limit, so nothing is evicted yet).</param>
    /// <param name="Problem">Why it could not be read.</param>
    public readonly record struct Finding(string Server, string? Policy, long MaxMemory, string? Problem)
    {
        /// <summary>Whether Redis may evict SessionKit's keys now.</summary>
        public bool CanEvict => Policy is not null && Policy != Supported && MaxMemory > 0;
    }

    public static async Task<IReadOnlyList<Finding>> CheckAsync(RedisConnection connection, CancellationToken cancellationToken)
    {
        var multiplexer = await connection.GetConnectedAsync(cancellationToken).ConfigureAwait(false);
        var findings = new List<Finding>();
        foreach (var endpoint in multiplexer.GetEndPoints(false))
        {
            var server = multiplexer.GetServer(endpoint, null);
            if (server.IsReplica)
            {
                continue;
            }

            var name = RedisConfiguration.Format(endpoint);
            try
            {
                // Sent as a raw command: the client's typed InfoAsync demands admin mode, which SessionKit does not ask for.
                var info = (string?)await connection.RunAsync(_ => server.ExecuteAsync("INFO", "memory"), cancellationToken).ConfigureAwait(false) ?? "";
                var values = info.Split('\n')
                    .Select(line => line.Trim().Split(':', 2))
                    .Where(pair => pair.Length == 2)
                    .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
                findings.Add(new Finding(
                    name,
                    values.GetValueOrDefault("maxmemory_policy"),
                    long.TryParse(values.GetValueOrDefault("maxmemory"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var max) ? max : 0,
                    values.ContainsKey("maxmemory_policy") ? null : "INFO memory did not report it"));
            }
            catch (RedisServerException exception) when (exception.Message.StartsWith("NOPERM", StringComparison.Ordinal))
            {
                findings.Add(new Finding(name, null, 0, "this Redis user may not run INFO (ACL)"));
            }
        }

        return findings;
    }
}
