using MongoDB.Bson;

namespace SessionKit.Testing.Mongo;

/// <summary>
/// MongoDB's query, update, sort and projection language as far as the session store and the tests use it, with the
/// server's semantics: values compare by BSON type order and by value (ObjectIds and binaries by their bytes),
/// <c>null</c> matches a missing field, range operators match only values of the operand's type bracket. Anything else is
/// refused loudly (<see cref="NotSupportedException"/> becomes an error reply naming it), so a store change that
/// starts sending something new fails the tests instead of being mis-evaluated.
/// </summary>
public static class PeerQuery
{
    public static bool Matches(BsonDocument document, BsonDocument filter)
    {
        foreach (var element in filter)
        {
            var ok = element.Name switch
            {
                "$and" => element.Value.AsBsonArray.All(f => Matches(document, f.AsBsonDocument)),
                "$or" => element.Value.AsBsonArray.Any(f => Matches(document, f.AsBsonDocument)),
                "$nor" => !element.Value.AsBsonArray.Any(f => Matches(document, f.AsBsonDocument)),
                var name when name.StartsWith('$') => throw new NotSupportedException($"The test peer does not evaluate the top-level operator {name}."),
                var name => FieldMatches(document, name, element.Value),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public static BsonDocument ApplyUpdate(BsonDocument document, BsonDocument update, bool inserting)
    {
        if (update.ElementCount == 0 || !update.GetElement(0).Name.StartsWith('$'))
        {
            var replacement = new BsonDocument("_id", document["_id"]);
            foreach (var element in update)
            {
                if (element.Name != "_id")
                {
                    replacement[element.Name] = element.Value.DeepClone();
                }
            }

            return replacement;
        }

        var result = document.DeepClone().AsBsonDocument;
        foreach (var (op, fields) in update.Select(e => (e.Name, e.Value.AsBsonDocument)))
        {
            foreach (var field in fields)
            {
                CheckPath(field.Name);
                var present = result.TryGetValue(field.Name, out var current);
                switch (op)
                {
                    case "$set":
                        result[field.Name] = field.Value.DeepClone();
                        break;
                    case "$setOnInsert":
                        if (inserting)
                        {
                            result[field.Name] = field.Value.DeepClone();
                        }

                        break;
                    case "$unset":
                        result.Remove(field.Name);
                        break;
                    case "$inc":
                        result[field.Name] = Add(present ? current! : new BsonInt32(0), field.Value);
                        break;
                    case "$max":
                        if (!present || Compare(field.Value, current!) > 0)
                        {
                            result[field.Name] = field.Value.DeepClone();
                        }

                        break;
                    case "$min":
                        if (!present || Compare(field.Value, current!) < 0)
                        {
                            result[field.Name] = field.Value.DeepClone();
                        }

                        break;
                    default:
                        throw new NotSupportedException($"The test peer does not apply {op}.");
                }
            }
        }

        return result;
    }

    /// <summary>The document an upsert inserts when nothing matched: the filter's equality conditions, then the update.</summary>
    public static BsonDocument Upserted(BsonDocument filter, BsonDocument update)
    {
        var seed = new BsonDocument();
        foreach (var element in filter)
        {
            if (!element.Name.StartsWith('$') && !(element.Value is BsonDocument operators && IsOperatorDocument(operators)))
            {
                seed[element.Name] = element.Value.DeepClone();
            }
            else if (element.Value is BsonDocument { ElementCount: 1 } eq && eq.GetElement(0).Name == "$eq")
            {
                seed[element.Name] = eq[0].DeepClone();
            }
        }

        if (!seed.Contains("_id"))
        {
            seed.InsertAt(0, new BsonElement("_id", ObjectId.GenerateNewId()));
        }

        return ApplyUpdate(seed, update, inserting: true);
    }

    public static List<BsonDocument> Sort(IEnumerable<BsonDocument> documents, BsonDocument? sort)
    {
        var list = documents.ToList();
        if (sort is null || sort.ElementCount == 0)
        {
            return list;
        }

        list.Sort((a, b) =>
        {
            foreach (var key in sort)
            {
                var c = Compare(a.GetValue(key.Name, BsonNull.Value), b.GetValue(key.Name, BsonNull.Value)) * (key.Value.ToInt32() < 0 ? -1 : 1);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        });
        return list;
    }

    /// <summary>Applies an inclusion projection (<c>{ a: 1, b: 1 }</c>; <c>_id</c> stays unless excluded).</summary>
    public static BsonDocument Project(BsonDocument document, BsonDocument? projection)
    {
        if (projection is null || projection.ElementCount == 0)
        {
            return document.DeepClone().AsBsonDocument;
        }

        if (projection.Any(p => p.Name != "_id" && !p.Value.ToBoolean()))
        {
            throw new NotSupportedException("The test peer applies inclusion projections only.");
        }

        var result = new BsonDocument();
        foreach (var element in document)
        {
            if (element.Name == "_id" ? projection.GetValue("_id", true).ToBoolean() : projection.Contains(element.Name))
            {
                result[element.Name] = element.Value.DeepClone();
            }
        }

        return result;
    }

    /// <summary>MongoDB's comparison: type brackets first (numbers together), then values.</summary>
    public static int Compare(BsonValue a, BsonValue b) => a.CompareTo(b);

    private static bool FieldMatches(BsonDocument document, string field, BsonValue condition)
    {
        CheckPath(field);
        var present = document.TryGetValue(field, out var value);
        if (condition is BsonDocument operators && IsOperatorDocument(operators))
        {
            foreach (var (op, operand) in operators.Select(e => (e.Name, e.Value)))
            {
                var ok = op switch
                {
                    "$eq" => EqualsValue(present, value, operand),
                    "$ne" => !EqualsValue(present, value, operand),
                    "$gt" => present && SameBracket(value!, operand) && Compare(value!, operand) > 0,
                    "$gte" => present && SameBracket(value!, operand) && Compare(value!, operand) >= 0,
                    "$lt" => present && SameBracket(value!, operand) && Compare(value!, operand) < 0,
                    "$lte" => present && SameBracket(value!, operand) && Compare(value!, operand) <= 0,
                    "$in" => operand.AsBsonArray.Any(o => EqualsValue(present, value, o)),
                    "$nin" => !operand.AsBsonArray.Any(o => EqualsValue(present, value, o)),
                    "$exists" => present == operand.ToBoolean(),
                    _ => throw new NotSupportedException($"The test peer does not evaluate {op}."),
                };
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        return EqualsValue(present, value, condition);
    }

    private static bool EqualsValue(bool present, BsonValue? value, BsonValue operand)
    {
        if (operand.IsBsonNull)
        {
            return !present || value!.IsBsonNull;
        }

        if (!present)
        {
            return false;
        }

        if (value is BsonArray array && operand is not BsonArray)
        {
            return array.Any(item => SameBracket(item, operand) && Compare(item, operand) == 0);
        }

        return SameBracket(value!, operand) && Compare(value!, operand) == 0;
    }

    private static bool SameBracket(BsonValue a, BsonValue b) => Bracket(a) == Bracket(b);

    private static int Bracket(BsonValue value) => value.BsonType switch
    {
        BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => 1,
        BsonType.String or BsonType.Symbol => 2,
        var type => 10 + (int)type,
    };

    private static bool IsOperatorDocument(BsonDocument document)
        => document.ElementCount > 0 && document.GetElement(0).Name.StartsWith('$');

    private static void CheckPath(string field)
    {
        if (field.Contains('.', StringComparison.Ordinal))
        {
            throw new NotSupportedException($"The test peer does not follow dotted paths ({field}).");
        }
    }

    private static BsonValue Add(BsonValue current, BsonValue increment) => (current, increment) switch
    {
        (BsonInt32 a, BsonInt32 b) => new BsonInt32(a.Value + b.Value),
        (BsonInt32 or BsonInt64, BsonInt32 or BsonInt64) => new BsonInt64(current.ToInt64() + increment.ToInt64()),
        _ => throw new NotSupportedException("The test peer only increments integers."),
    };
}
