using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Tests.Peer;

/// <summary>
/// Evaluates just the query and update language the session store sends: equality, $gt/$gte/$lt/$lte/$ne/$in on
/// top-level fields, $set and $inc updates, and sorts. Anything else is refused loudly, so a store change that
/// starts sending something new fails the tests instead of being silently mis-evaluated.
/// </summary>
internal static class PeerQuery
{
    public static bool Matches(BsonDocument document, BsonDocument filter)
    {
        foreach (var (field, condition) in filter)
        {
            var present = document.TryGetValue(field, out var value);
            if (condition is BsonDocument operators && operators.Count > 0 && operators.Elements[0].Key.StartsWith('$'))
            {
                foreach (var (op, operand) in operators)
                {
                    var ok = op switch
                    {
                        "$gt" => present && Compare(value, operand) > 0,
                        "$gte" => present && Compare(value, operand) >= 0,
                        "$lt" => present && Compare(value, operand) < 0,
                        "$lte" => present && Compare(value, operand) <= 0,
                        "$eq" => ValueEquals(value, operand),
                        "$ne" => !ValueEquals(value, operand),
                        "$in" => ((BsonArray)operand!).Any(o => ValueEquals(value, o)),
                        _ => throw new NotSupportedException($"The test peer does not evaluate {op}."),
                    };
                    if (!ok)
                    {
                        return false;
                    }
                }
            }
            else if (!(present ? ValueEquals(value, condition) : condition is null))
            {
                return false;
            }
        }

        return true;
    }

    public static BsonDocument ApplyUpdate(BsonDocument document, BsonDocument update)
    {
        if (update.Count == 0 || !update.Elements[0].Key.StartsWith('$'))
        {
            var replacement = new BsonDocument().Add("_id", document["_id"]);
            foreach (var (name, value) in update)
            {
                if (name != "_id")
                {
                    replacement.Add(name, value);
                }
            }

            return replacement;
        }

        var result = Copy(document);
        foreach (var (op, fields) in update)
        {
            foreach (var (name, value) in (BsonDocument)fields!)
            {
                switch (op)
                {
                    case "$set":
                        result.Set(name, value);
                        break;
                    case "$inc":
                        result.Set(name, Add(result[name], value));
                        break;
                    default:
                        throw new NotSupportedException($"The test peer does not apply {op}.");
                }
            }
        }

        return result;
    }

    public static IEnumerable<BsonDocument> Sort(IEnumerable<BsonDocument> documents, BsonDocument? sort)
    {
        if (sort is null || sort.Count == 0)
        {
            return documents;
        }

        var list = documents.ToList();
        list.Sort((a, b) =>
        {
            foreach (var (field, direction) in sort)
            {
                var c = Compare(a[field], b[field]) * (Convert.ToInt32(direction, System.Globalization.CultureInfo.InvariantCulture) < 0 ? -1 : 1);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        });
        return list;
    }

    public static BsonDocument Copy(BsonDocument document)
    {
        var copy = new BsonDocument();
        foreach (var (name, value) in document)
        {
            copy.Add(name, value);
        }

        return copy;
    }

    private static object Add(object? current, object? increment) => (current, increment) switch
    {
        (long a, long b) => a + b,
        (long a, int b) => a + b,
        (int a, int b) => a + b,
        (int a, long b) => a + b,
        (null, var b) => b!,
        _ => throw new NotSupportedException("The test peer only increments integers."),
    };

    private static bool ValueEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (BsonDocument, _) or (BsonArray, _) => throw new NotSupportedException("The test peer compares scalar values only."),
        _ => Compare(a, b) == 0,
    };

    private static int Compare(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => string.CompareOrdinal(x, y),
        (BsonDateTime x, BsonDateTime y) => x.Milliseconds.CompareTo(y.Milliseconds),
        (int or long or double, int or long or double) => Convert.ToDouble(a, System.Globalization.CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, System.Globalization.CultureInfo.InvariantCulture)),
        (bool x, bool y) => x.CompareTo(y),
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        _ => string.CompareOrdinal(a!.GetType().Name, b!.GetType().Name) is var byType && byType != 0 ? byType : 0,
    };
}
