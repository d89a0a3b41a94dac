using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SessionKit;

/// <summary>
/// Session ids as clients hold them: <c>{partition}.{secret}</c>, where the secret is 256 bits from the OS
/// CSPRNG and the partition is a short hash of the subject (so a store can co-locate a subject's keys, e.g. one
/// Redis Cluster hash slot). Stores only ever see <see cref="SessionKey"/>, whose hash is SHA-256 of the secret.
/// </summary>
internal static class SessionIds
{
    internal const int SecretBytes = 32;
    internal const int PartitionBytes = 6;
    internal static readonly int SecretLength = Base64Url.GetEncodedLength(SecretBytes);       // 43
    internal static readonly int PartitionLength = Base64Url.GetEncodedLength(PartitionBytes); // 8
    internal static readonly int IdLength = PartitionLength + 1 + SecretLength;                  // 52

    [ThreadStatic]
    private static IncrementalHash? _sha256;

    /// <summary>Creates a new session id for <paramref name="subject"/> and its store key.</summary>
    public static (string Id, SessionKey Key) Create(string subject)
    {
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        var partition = PartitionOf(subject);
        var secretText = Base64Url.EncodeToString(secret);
        return (partition + "." + secretText, new SessionKey(partition, HashSecret(secretText)));
    }

    /// <summary>The partition all of <paramref name="subject"/>'s sessions share.</summary>
    public static string PartitionOf(string subject)
    {
        var byteCount = Encoding.UTF8.GetByteCount(subject);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        if (byteCount <= 256)
        {
            Span<byte> utf8 = stackalloc byte[byteCount];
            Encoding.UTF8.GetBytes(subject, utf8);
            SHA256.HashData(utf8, hash);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(subject), hash);
        }

        return Base64Url.EncodeToString(hash[..PartitionBytes]);
    }

    /// <summary>
    /// Parses a session id as received from a client. Anything that is not exactly the shape this class issues
    /// (length, separator, alphabet) is rejected here, before any store call.
    /// </summary>
    public static bool TryParse(string? id, out SessionKey key)
    {
        key = default;
        if (id is null || id.Length != IdLength || id[PartitionLength] != '.')
        {
            return false;
        }

        var partition = id.AsSpan(0, PartitionLength);
        var secret = id.AsSpan(PartitionLength + 1);
        if (!IsBase64Url(partition) || !IsBase64Url(secret))
        {
            return false;
        }

        key = new SessionKey(partition.ToString(), HashSecret(secret));
        return true;
    }

    private static string HashSecret(ReadOnlySpan<char> secret)
    {
        // The secret is ASCII by construction (checked by the caller or produced by the encoder).
        Span<byte> ascii = stackalloc byte[secret.Length];
        for (var i = 0; i < secret.Length; i++)
        {
            ascii[i] = (byte)secret[i];
        }

        // One reusable hash object per thread: the one-shot SHA256.HashData sets up a new OpenSSL digest context on
        // every call, which costs more than hashing 43 bytes (this runs on every authenticated request).
        var sha = _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(ascii);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        sha.GetHashAndReset(hash);
        return Base64Url.EncodeToString(hash);
    }

    private static bool IsBase64Url(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
