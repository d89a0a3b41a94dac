using System.Globalization;

namespace SessionKit.InMemory;

/// <summary>
/// The in-memory store's continuation token: the creation time and hash of the last session of the previous page
/// (sessions are paged in that order), so that a page never depends on what was deleted or added since.
/// </summary>
internal static class InMemoryQueryPosition
{
    public static string Format(SessionRecord last)
        => last.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "." + last.Key.Hash;

    public static (long Ticks, string Hash)? Parse(string? token)
    {
        if (token is null)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            throw new ArgumentException("The continuation token was not issued by this store.", nameof(token));
        }

        return (ticks, token[(dot + 1)..]);
    }

    public static bool IsAfter(SessionRecord record, (long Ticks, string Hash)? position)
        => position is not { } after
           || record.CreatedAt.UtcTicks > after.Ticks
           || (record.CreatedAt.UtcTicks == after.Ticks && string.CompareOrdinal(record.Key.Hash, after.Hash) > 0);
}
