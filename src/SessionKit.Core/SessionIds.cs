using System.Buffers.Text;
using System.Security.Cryptography;

namespace SessionKit;

/// <summary>
/// Session ids as clients hold them: <c>{partition}.{secret}</c>, where the secret is 256 bits from the OS CSPRNG and
/// the partition is 48 random bits that the store may replace with the partition it keeps a subject's sessions in
/// (one Redis Cluster hash slot). Nothing in an id is derived from the subject. Stores only ever see
/// <see cref="SessionKey"/>, whose hash is SHA-256 of the secret.
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

    /// <summary>A new secret and the key to store it under, with a random partition the store may replace.</summary>
    public static (string Secret, SessionKey Key) Create()
    {
        Span<byte> random = stackalloc byte[SecretBytes + PartitionBytes];
        RandomNumberGenerator.Fill(random);
        var secret = Base64Url.EncodeToString(random[..SecretBytes]);
        return (secret, new SessionKey(Base64Url.EncodeToString(random[SecretBytes..]), HashSecret(secret)));
    }

    /// <summary>The id to give the client for <paramref name="secret"/> stored under <paramref name="key"/>.</summary>
    public static string Format(SessionKey key, string secret) => key.Partition + "." + secret;

    /// <summary>A random partition, well-formed for every store.</summary>
    public static string NewPartition()
    {
        Span<byte> random = stackalloc byte[PartitionBytes];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
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

    /// <summary>Whether <paramref name="key"/> has the exact shape of the keys this class produces.</summary>
    public static bool IsWellFormed(SessionKey key)
        => key.Partition is { } partition && partition.Length == PartitionLength && IsBase64Url(partition)
           && key.Hash is { } hash && hash.Length == SecretLength && IsBase64Url(hash);

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
