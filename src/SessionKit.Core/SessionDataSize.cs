using System.Collections.Frozen;
using System.Text;

namespace SessionKit;

/// <summary>How the size of a session's <see cref="SessionRecord.Data"/> is counted against <see cref="SessionKitOptions.MaxDataBytes"/>.</summary>
public static class SessionDataSize
{
    /// <summary>An empty data map.</summary>
    public static IReadOnlyDictionary<string, byte[]> Empty { get; } = FrozenDictionary<string, byte[]>.Empty;

    /// <summary>The size of one entry: the UTF-8 length of its key plus the length of its value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>The entry's size in bytes.</returns>
    public static long Of(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return Encoding.UTF8.GetByteCount(key) + (long)value.Length;
    }

    /// <summary>The size of a whole data map: the sum of its entries' sizes.</summary>
    /// <param name="data">The data map.</param>
    /// <returns>The size in bytes.</returns>
    public static long Of(IReadOnlyDictionary<string, byte[]> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        long size = 0;
        foreach (var (key, value) in data)
        {
            size += Of(key, value);
        }

        return size;
    }
}
