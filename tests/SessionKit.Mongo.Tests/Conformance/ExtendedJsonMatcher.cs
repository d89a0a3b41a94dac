using System.Globalization;
using System.Text.Json;
using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Tests.Conformance;

/// <summary>
/// Compares a decoded BSON value with the vectors' JSON form: {"$oid"}, {"$binary": hex, "subtype"}, {"$date": iso},
/// {"$numberLong"}, {"$numberDouble"}; a JSON number with a '.' or exponent is a double, otherwise an int32.
/// Document key order is compared too.
/// </summary>
internal static class ExtendedJsonMatcher
{
    public static void Match(JsonElement expected, object? actual, string path, List<string> failures)
    {
        void Fail(string what) => failures.Add($"{path}: {what} (got {Describe(actual)})");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Null:
                if (actual is not null) Fail("expected null");
                return;
            case JsonValueKind.True or JsonValueKind.False:
                if (actual is not bool b || b != expected.GetBoolean()) Fail("expected " + expected.GetRawText());
                return;
            case JsonValueKind.String:
                if (actual is not string s || s != expected.GetString()) Fail("expected \"" + expected.GetString() + "\"");
                return;
            case JsonValueKind.Number:
                var raw = expected.GetRawText();
                var isDouble = raw.Contains('.', StringComparison.Ordinal) || raw.Contains('e', StringComparison.OrdinalIgnoreCase);
                if (isDouble ? actual is not double d || d != expected.GetDouble() : actual is not int i || i != expected.GetInt32()) Fail("expected " + raw);
                return;
            case JsonValueKind.Array:
                if (actual is not BsonArray array || array.Count != expected.GetArrayLength())
                {
                    Fail("expected an array of " + expected.GetArrayLength());
                    return;
                }

                var index = 0;
                foreach (var item in expected.EnumerateArray())
                {
                    Match(item, array[index], $"{path}[{index}]", failures);
                    index++;
                }

                return;
        }

        var properties = expected.EnumerateObject().ToList();
        if (properties.Count > 0 && properties[0].Name.StartsWith('$') && MatchSpecial(properties, actual) is { } special)
        {
            if (!special) Fail("expected " + expected.GetRawText());
            return;
        }

        if (actual is not BsonDocument document || document.Count != properties.Count)
        {
            Fail($"expected a document with {properties.Count} fields");
            return;
        }

        for (var i = 0; i < properties.Count; i++)
        {
            var (name, value) = document.Elements[i];
            if (name != properties[i].Name)
            {
                failures.Add($"{path}: field {i} is \"{name}\", expected \"{properties[i].Name}\"");
                return;
            }

            Match(properties[i].Value, value, path + "." + name, failures);
        }
    }

    private static bool? MatchSpecial(List<JsonProperty> properties, object? actual)
    {
        var first = properties[0];
        return first.Name switch
        {
            "$oid" => actual is BsonObjectId oid && oid.ToString() == first.Value.GetString(),
            "$binary" => actual is BsonBinary binary && Convert.ToHexStringLower(binary.Data.Span) == first.Value.GetString()
                && binary.Subtype == properties[1].Value.GetInt32(),
            "$date" => actual is BsonDateTime date && date.Milliseconds == DateTimeOffset.Parse(first.Value.GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(),
            "$numberLong" => actual is long l && l == (first.Value.ValueKind == JsonValueKind.String ? long.Parse(first.Value.GetString()!, CultureInfo.InvariantCulture) : first.Value.GetInt64()),
            "$numberDouble" => actual is double d && first.Value.GetString() switch
            {
                "NaN" => double.IsNaN(d),
                "-0.0" => d == 0 && double.IsNegative(d),
                var text => d == double.Parse(text!, CultureInfo.InvariantCulture),
            },
            _ => null,
        };
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        BsonDocument d => "document of " + d.Count,
        BsonArray a => "array of " + a.Count,
        _ => value.GetType().Name + " " + Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
