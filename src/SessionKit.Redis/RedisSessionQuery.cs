using System.Globalization;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// Pages through sessions for <see cref="ISessionStore.QueryAsync"/> without a global index (which every touch would
/// have to maintain): by subject through the subject index, oldest first; otherwise with one <c>SCAN</c> step per page
/// on one primary after another — unordered, a session may appear twice (a rehash of the server's table while the scan
/// runs), and a page may be short or empty while the token is not null. Each page costs one <c>SCAN</c> step plus one
/// <c>GET</c> per key found.
/// </summary>
/// <remarks>Tokens: <c>s:{created ms}.{hash}</c> (by subject) and <c>n:{primary index}.{cursor}</c> (unfiltered).</remarks>
internal sealed class RedisSessionQuery(RedisSessionStore store)
{
    public async Task<SessionQueryPage> RunAsync(SessionQuery query, CancellationToken cancellationToken)
        => query.Subject is { } subject
            ? await BySubjectAsync(subject, query, cancellationToken).ConfigureAwait(false)
            : await ScanAsync(query, cancellationToken).ConfigureAwait(false);

    private async Task<SessionQueryPage> BySubjectAsync(string subject, SessionQuery query, CancellationToken cancellationToken)
    {
        var after = ParsePosition(query.ContinuationToken, "s:");
        if (await store.FindPartitionAsync(subject, cancellationToken).ConfigureAwait(false) is not { } partition)
        {
            return new SessionQueryPage([], null);
        }

        var sessions = await store.ListAsync(subject, partition, after, query.PageSize + 1, cancellationToken).ConfigureAwait(false);
        var page = sessions.Take(query.PageSize).ToArray();
        var token = sessions.Count > query.PageSize
            ? "s:" + SessionRecordCodec.ToMs(page[^1].CreatedAt).ToString(CultureInfo.InvariantCulture) + "." + page[^1].Key.Hash
            : null;
        return new SessionQueryPage([.. page.Where(query.Matches)], token);
    }

    private async Task<SessionQueryPage> ScanAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        var (serverIndex, cursor) = ParseScan(query.ContinuationToken);
        var multiplexer = await store.Connection.GetConnectedAsync(cancellationToken).ConfigureAwait(false);
        var servers = RedisServers.Primaries(multiplexer);
        if (serverIndex >= servers.Length)
        {
            return new SessionQueryPage([], null);
        }

        var (next, found) = await RedisServers.ScanOnceAsync(servers[serverIndex], store.Connection.Database, store.Keys.SessionScanPattern, query.PageSize, cursor)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<(SessionKey Key, RedisKey Name)>(found.Length);
        foreach (var name in found)
        {
            if (store.Keys.TryParseSession((string)name!, out var key))
            {
                keys.Add((key, name));
            }
        }

        // One GET per key, pipelined: the keys of one SCAN step belong to many hash slots, so MGET is not an option on a cluster.
        var values = await store.Connection.RunAsync(db => Task.WhenAll(keys.Select(k => db.StringGetAsync(k.Name, CommandFlags.None))), cancellationToken).ConfigureAwait(false);
        var sessions = new List<SessionRecord>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            if (!values[i].IsNull && store.Live(keys[i].Key, (byte[])values[i]!) is { } session && query.Matches(session))
            {
                sessions.Add(session);
            }
        }

        var token = next != 0 ? Scan(serverIndex, next) : serverIndex + 1 < servers.Length ? Scan(serverIndex + 1, 0) : null;
        return new SessionQueryPage(sessions, token);
    }

    private static string Scan(int serverIndex, long cursor)
        => "n:" + serverIndex.ToString(CultureInfo.InvariantCulture) + "." + cursor.ToString(CultureInfo.InvariantCulture);

    private static (int ServerIndex, long Cursor) ParseScan(string? token)
    {
        if (token is null)
        {
            return (0, 0);
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        return token.StartsWith("n:", StringComparison.Ordinal) && dot > 2
               && int.TryParse(token.AsSpan(2, dot - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var server)
               && long.TryParse(token.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var cursor)
            ? (server, cursor)
            : throw NotOurs();
    }

    private static (long Created, string Hash)? ParsePosition(string? token, string prefix)
    {
        if (token is null)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        return token.StartsWith(prefix, StringComparison.Ordinal) && dot > prefix.Length
               && long.TryParse(token.AsSpan(prefix.Length, dot - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var created)
            ? (created, token[(dot + 1)..])
            : throw NotOurs();
    }

    private static ArgumentException NotOurs() => new("The continuation token was not issued by the Redis store for this query.", "query");
}
