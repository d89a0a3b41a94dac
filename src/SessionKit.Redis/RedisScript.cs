using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace SessionKit.Redis;

/// <summary>
/// A Lua script run with EVALSHA, falling back to EVAL (which also caches it on that server) when the server
/// answers NOSCRIPT — after a restart, a failover or on a cluster node that has not seen it yet.
/// </summary>
internal sealed class RedisScript
{
    public RedisScript(string text)
    {
        Text = text;
#pragma warning disable CA5350 // Redis names cached scripts by their SHA-1; this is an identifier, not a security measure.
        Hash = SHA1.HashData(Encoding.UTF8.GetBytes(text));
#pragma warning restore CA5350
    }

    public string Text { get; }

    /// <summary>The script's SHA-1 (20 raw bytes; the client sends it as hex).</summary>
    public byte[] Hash { get; }

    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            return await database.ScriptEvaluateAsync(Hash, keys, values, CommandFlags.None).ConfigureAwait(false);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await database.ScriptEvaluateAsync(Text, keys, values, CommandFlags.None).ConfigureAwait(false);
        }
    }
}
