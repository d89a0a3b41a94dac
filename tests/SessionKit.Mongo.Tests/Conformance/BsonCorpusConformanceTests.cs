using System.Text.Json;
using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Tests.Conformance;

/// <summary>
/// Runs the official BSON corpus for every BSON type the client reads or writes: each valid case must decode and
/// re-encode to the exact canonical bytes (degenerate forms too), and each decodeErrors case must be rejected with a
/// <see cref="BsonException"/>, never another exception.
/// </summary>
public sealed class BsonCorpusConformanceTests(ITestOutputHelper output)
{
    /// <summary>The corpus files for the types in <see cref="BsonType"/>, plus the document-structure file.</summary>
    internal static readonly string[] SupportedFiles =
        ["array", "binary", "boolean", "datetime", "document", "double", "int32", "int64", "null", "oid", "string", "timestamp", "top"];

    [Fact]
    public void Corpus_cases_for_every_supported_type_round_trip_to_the_exact_bytes_and_decode_errors_are_rejected()
    {
        if (SpecVectors.Root is null)
        {
            SpecVectors.Report(output, SpecVectors.Missing);
            return;
        }

        int valid = 0, degenerate = 0, errors = 0;
        var failures = new List<string>();
        foreach (var file in SupportedFiles)
        {
            using var json = SpecVectors.Load("bson-corpus", "tests", file + ".json");
            var root = json.RootElement;
            foreach (var testCase in Cases(root, "valid"))
            {
                var description = file + ": " + testCase.GetProperty("description").GetString();
                var canonical = SpecVectors.Hex(testCase.GetProperty("canonical_bson").GetString()!);
                valid++;
                Check(description, canonical, canonical, failures);
                if (testCase.TryGetProperty("degenerate_bson", out var degenerateHex))
                {
                    degenerate++;
                    Check(description + " (degenerate)", SpecVectors.Hex(degenerateHex.GetString()!), canonical, failures);
                }
            }

            foreach (var testCase in Cases(root, "decodeErrors"))
            {
                errors++;
                var description = file + ": " + testCase.GetProperty("description").GetString();
                try
                {
                    BsonReader.Decode(SpecVectors.Hex(testCase.GetProperty("bson").GetString()!));
                    failures.Add(description + ": decoded, but must be rejected");
                }
                catch (BsonException)
                {
                    // Rejected cleanly, as required.
                }
                catch (Exception e)
                {
                    failures.Add(description + ": rejected with " + e.GetType().Name + " instead of BsonException");
                }
            }
        }

        var summary = $"BSON corpus: {valid} valid cases (+{degenerate} degenerate forms) round-tripped and {errors} decodeErrors cases checked across {SupportedFiles.Length} files; {failures.Count} failures.";
        SpecVectors.Report(output, summary);
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures));
        Assert.True(valid >= 80 && errors >= 42, summary);
    }

    private static IEnumerable<JsonElement> Cases(JsonElement root, string name)
        => root.TryGetProperty(name, out var cases) ? cases.EnumerateArray() : [];

    private static void Check(string description, byte[] input, byte[] canonical, List<string> failures)
    {
        try
        {
            var encoded = BsonWriter.Encode(BsonReader.Decode(input));
            if (!encoded.AsSpan().SequenceEqual(canonical))
            {
                failures.Add($"{description}: re-encoded {Convert.ToHexString(encoded)}, expected {Convert.ToHexString(canonical)}");
            }
        }
        catch (Exception e)
        {
            failures.Add($"{description}: {e.GetType().Name}: {e.Message}");
        }
    }
}
