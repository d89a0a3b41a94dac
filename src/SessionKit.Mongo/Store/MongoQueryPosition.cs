using System.Globalization;
using MongoDB.Bson;

namespace SessionKit.Mongo;

/// <summary>
/// The continuation token of <see cref="ISessionStore.QueryAsync"/>: the creation time (Unix ms) and <c>_id</c> of the
/// last document of the previous page, <c>{ms}.{hash}</c>. Pages follow the index order <c>(c, _id)</c>, so the next page
/// starts strictly after that pair whatever was added or deleted since. A token of any other shape is refused.
/// </summary>
internal static class MongoQueryPosition
{
    private const int HashLength = 43;

    /// <summary>
    /// The position after <paramref name="last"/>. A document edited into another shape (no date in <c>c</c>, an
    /// <c>_id</c> that is not a hash) sorts before every session, so the Unix epoch and an empty hash continue after it.
    /// </summary>
    public static string Format(BsonDocument last)
    {
        var created = last.GetValue(SessionDocument.Created, BsonNull.Value) is BsonDateTime { MillisecondsSinceEpoch: >= 0 } date ? date.MillisecondsSinceEpoch : 0;
        var hash = last.GetValue(SessionDocument.Id, BsonNull.Value) is BsonString { Value.Length: <= HashLength } id && id.Value.AsSpan().ContainsOnlyBase64Url() ? id.Value : "";
        return created.ToString(CultureInfo.InvariantCulture) + "." + hash;
    }

    /// <summary>The filter "after this position", or <see langword="null"/> for the first page.</summary>
    /// <exception cref="ArgumentException">The token is not one this store issued.</exception>
    public static BsonDocument? After(string? token)
    {
        if (token is null)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || token.Length - dot - 1 > HashLength
            || !token.AsSpan(dot + 1).ContainsOnlyBase64Url())
        {
            throw new ArgumentException("The continuation token was not issued by this store.", nameof(token));
        }

        var created = new BsonDateTime(ms);
        var hash = token[(dot + 1)..];
        return new BsonDocument("$or", new BsonArray
        {
            new BsonDocument(SessionDocument.Created, new BsonDocument("$gt", created)),
            new BsonDocument { { SessionDocument.Created, created }, { SessionDocument.Id, new BsonDocument("$gt", hash) } },
        });
    }

    private static bool ContainsOnlyBase64Url(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
