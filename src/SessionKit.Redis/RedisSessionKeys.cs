using System.Text;

namespace SessionKit.Redis;

/// <summary>
/// The Redis key layout. Every key one script touches carries the subject's partition as the Redis Cluster hash tag,
/// so a session, its subject index and the subject's other sessions live in one slot:
/// <c>{prefix}{{partition}}:s:{hash}</c> (a session, a string), <c>{prefix}{{partition}}:u:{subject}</c> (the subject
/// index, a sorted set of session hashes scored by creation time) and <c>{prefix}{{partition}}:c:{subject}</c> (the
/// subject's latest claims). The partition is random, chosen when the subject's first session is created and
/// remembered in <c>{prefix}p:{subject}</c> for as long as any of its sessions (or its latest claims) lives.
/// </summary>
internal sealed class RedisSessionKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    /// <summary>Everything up to the session hash: the scripts append index members to it.</summary>
    public string SessionBase(string partition) => Prefix + "{" + partition + "}:s:";

    /// <summary>Everything up to the subject: the delete script appends the subject it read from the record.</summary>
    public string IndexBase(string partition) => Prefix + "{" + partition + "}:u:";

    public string Session(SessionKey key) => SessionBase(key.Partition) + key.Hash;

    public string Index(string partition, string subject) => IndexBase(partition) + subject;

    public string SubjectClaims(string partition, string subject) => Prefix + "{" + partition + "}:c:" + subject;

    /// <summary>The subject's partition map entry. Not hash-tagged by the partition (it is what finds the partition).</summary>
    public string PartitionMap(string subject) => Prefix + "p:" + subject;

    /// <summary>The glob that matches every key of this store (for the operator-only delete-all scan).</summary>
    public string ScanPattern => EscapeGlob(Prefix) + "*";

    /// <summary>The glob that matches every session key of this store (for the operator's unfiltered query).</summary>
    public string SessionScanPattern => EscapeGlob(Prefix) + "{*}:s:*";

    /// <summary>Splits a session key name back into its <see cref="SessionKey"/>; <see langword="false"/> for any other key.</summary>
    public bool TryParseSession(string name, out SessionKey key)
    {
        key = default;
        // {prefix}{PPPPPPPP}:s:{hash}
        var at = Prefix.Length;
        if (name.Length != at + 1 + 8 + 4 + 43 || !name.StartsWith(Prefix, StringComparison.Ordinal)
            || name[at] != '{' || string.CompareOrdinal(name, at + 9, "}:s:", 0, 4) != 0)
        {
            return false;
        }

        var candidate = new SessionKey(name.Substring(at + 1, 8), name[(at + 13)..]);
        if (!candidate.IsWellFormed)
        {
            return false;
        }

        key = candidate;
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
