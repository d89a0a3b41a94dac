using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SessionKit.Redis;

/// <summary>
/// The Redis key layout. Every key one script touches carries the subject's partition as the Redis Cluster hash
/// tag, so a session, its subject index and the subject's other sessions live in one slot:
/// <c>{prefix}{{partition}}:s:{hash}</c> (the session, a string) and <c>{prefix}{{partition}}:u:{subject}</c>
/// (the subject index, a sorted set of session hashes scored by creation time).
/// </summary>
internal sealed class RedisSessionKeys(string prefix)
{
    private const int PartitionBytes = 6;
    private const int PartitionLength = 8;
    private const int HashLength = 43;

    public string Prefix { get; } = prefix;

    /// <summary>Everything up to the session hash: the script appends index members to it.</summary>
    public string SessionBase(string partition) => Prefix + "{" + partition + "}:s:";

    /// <summary>Everything up to the subject: the delete script appends the subject it read from the record.</summary>
    public string IndexBase(string partition) => Prefix + "{" + partition + "}:u:";

    public string Session(SessionKey key) => SessionBase(key.Partition) + key.Hash;

    public string Index(string subject) => IndexBase(PartitionOf(subject)) + subject;

    /// <summary>The glob that matches every key of this store (for the operator-only delete-all scan).</summary>
    public string ScanPattern => EscapeGlob(Prefix) + "{*}:*";

    /// <summary>
    /// Whether <paramref name="key"/> has the exact shape SessionKit issues (8 + 43 base64url characters). Anything
    /// else is "not found" without a round trip, and can never smuggle a hash tag or glob into a key name.
    /// </summary>
    public static bool IsWellFormed(SessionKey key)
        => key.Partition is { Length: PartitionLength } && key.Hash is { Length: HashLength }
            && IsBase64Url(key.Partition) && IsBase64Url(key.Hash);

    /// <summary>
    /// The partition of a subject, as SessionKit.Core derives it for session keys (first 6 bytes of the subject's
    /// UTF-8 SHA-256, base64url). Needed to find a subject's index from the subject alone.
    /// </summary>
    public static string PartitionOf(string subject)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(subject), hash);
        return Base64Url.EncodeToString(hash[..PartitionBytes]);
    }

    private static bool IsBase64Url(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }

    private static string EscapeGlob(string value)
    {
        var builder = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
