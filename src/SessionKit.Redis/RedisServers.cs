using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>Walks every primary of a standalone, replicated or clustered Redis with <c>SCAN</c>, a page at a time.</summary>
internal static class RedisServers
{
    /// <summary>The primaries, in a stable order (a continuation token names one by its position).</summary>
    public static IServer[] Primaries(IConnectionMultiplexer multiplexer)
        => [.. multiplexer.GetServers().Where(s => !s.IsReplica).OrderBy(s => s.EndPoint.ToString(), StringComparer.Ordinal)];

    /// <summary>One <c>SCAN</c> step on <paramref name="server"/>: the next cursor (0 when done) and the keys found.</summary>
    public static async Task<(long Cursor, RedisKey[] Keys)> ScanOnceAsync(IServer server, int database, string pattern, int count, long cursor)
    {
        var reply = await server.ExecuteAsync(database, "SCAN", [cursor, "MATCH", pattern, "COUNT", count], CommandFlags.None).ConfigureAwait(false);
        var parts = (RedisResult[])reply!;
        return ((long)parts[0], (RedisKey[])parts[1]!);
    }

    /// <summary>Every page of keys matching <paramref name="pattern"/> on <paramref name="server"/>, from <paramref name="cursor"/>.</summary>
    public static async IAsyncEnumerable<(long Cursor, RedisKey[] Keys)> ScanAsync(IServer server, int database, string pattern, int count, long cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await ScanOnceAsync(server, database, pattern, count, cursor).WaitAsync(cancellationToken).ConfigureAwait(false);
            cursor = page.Cursor;
            if (page.Keys.Length > 0)
            {
                yield return page;
            }
        }
        while (cursor != 0);
    }
}
