using System.Buffers.Text;
using System.Security.Cryptography;

namespace SessionKit.Redis;

/// <summary>Partitions as the store chooses and checks them: 6 random bytes in base64url (8 characters).</summary>
internal static class RedisPartitions
{
    public const int Length = 8;

    public static string New()
    {
        Span<byte> random = stackalloc byte[6];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }

    public static bool IsWellFormed(string? partition)
        => partition is { Length: Length } && Base64Url.IsValid(partition) && !partition.Contains('=', StringComparison.Ordinal);
}
