using System.Diagnostics;
using System.Text.Json;
using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Tests.CrossCheck;

/// <summary>
/// The BSON codec against an independent implementation: PyMongo's <c>bson</c> module from Debian's python3-pymongo
/// (run with /usr/bin/python3; ./build.sh test installs the package). Documents encoded here decode there to the same
/// types and values (and PyMongo re-encodes them to the same bytes); a document PyMongo encodes decodes here to the
/// same values. A missing python3-pymongo fails the test with instructions: it never passes silently.
/// </summary>
public sealed class PyMongoCrossCheckTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task Documents_encoded_here_decode_in_pymongo_to_the_same_values_and_bytes()
    {
        var record = new SessionRecord
        {
            Key = new SessionKey("AbCdEfGh", "hash_hash_hash"),
            Subject = "user-42",
            CreatedAt = DateTimeOffset.Parse("2024-02-29T12:34:56.789Z", System.Globalization.CultureInfo.InvariantCulture),
            LastSeenAt = DateTimeOffset.Parse("2024-02-29T12:40:00.001Z", System.Globalization.CultureInfo.InvariantCulture),
            IdleExpiresAt = DateTimeOffset.Parse("2024-02-29T13:10:00Z", System.Globalization.CultureInfo.InvariantCulture),
            AbsoluteExpiresAt = DateTimeOffset.Parse("2024-02-29T20:34:56.789Z", System.Globalization.CultureInfo.InvariantCulture),
            Claims = [new SessionClaim("name", "Zoë Ångström ✓")],
            Permissions = ["A", "B"],
            Client = new SessionClientInfo("203.0.113.7", null),
            Version = 3,
        };
        var session = SessionDocument.From(record, 3);
        var command = new BsonDocument()
            .Add("insert", "sessions").Add("ordered", true).Add("txnNumber", 9L)
            .Add("lsid", new BsonDocument().Add("id", new BsonBinary(4, Convert.FromHexString("db77c845e60d4d55aebdf2b71d487e06"))))
            .Add("nan", double.NaN).Add("negativeZero", -0.0).Add("ts", new BsonTimestamp(1700000000, 7))
            .Add("oid", new BsonObjectId(Convert.FromHexString("612ec2800000000100000001")));
        var documents = new[] { session, command };

        var lines = await RunPythonAsync("decode", string.Join('\n', documents.Select(d => Convert.ToHexStringLower(BsonWriter.Encode(d)))));

        Assert.Equal(2, lines.Length);
        for (var i = 0; i < documents.Length; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            Assert.Equal(Convert.ToHexStringLower(BsonWriter.Encode(documents[i])), json.RootElement.GetProperty("hex").GetString());
        }

        using var sessionJson = JsonDocument.Parse(lines[0]);
        var fields = sessionJson.RootElement.GetProperty("fields");
        Assert.Equal(["str", "hash_hash_hash"], fields.GetProperty("_id").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["datetime", "2024-02-29T12:34:56.789+00:00"], fields.GetProperty("createdAt").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Int64", fields.GetProperty("version")[0].GetString());
        Assert.Equal("Zoë Ångström ✓", fields.GetProperty("claims")[1][0][1].GetProperty("value")[1].GetString());
        Assert.Equal("NoneType", fields.GetProperty("client")[1].GetProperty("userAgent")[0].GetString());
        using var commandJson = JsonDocument.Parse(lines[1]);
        var commandFields = commandJson.RootElement.GetProperty("fields");
        Assert.Equal("UUID", commandFields.GetProperty("lsid")[1].GetProperty("id")[0].GetString());
        Assert.Equal("Timestamp", commandFields.GetProperty("ts")[0].GetString());
        output.WriteLine($"pymongo decoded {documents.Length} C#-encoded documents and re-encoded them byte for byte.");
    }

    [Fact]
    public async Task A_document_encoded_by_pymongo_decodes_here_to_the_same_values()
    {
        var hex = (await RunPythonAsync("encode", "")).Single();
        var bytes = Convert.FromHexString(hex);

        var document = BsonReader.Decode(bytes);

        Assert.Equal("hashed-id", document["_id"]);
        Assert.Equal(2.5, document["double"]);
        Assert.Equal(42, document["int32"]);
        Assert.Equal(1L << 40, document["int64"]);
        Assert.Equal(true, document["bool"]);
        Assert.True(document.Contains("null") && document["null"] is null);
        Assert.Equal(DateTimeOffset.Parse("2024-02-29T12:34:56.789Z", System.Globalization.CultureInfo.InvariantCulture), ((BsonDateTime)document["date"]!).ToDateTimeOffset());
        Assert.Equal("612ec2800000000100000001", document["oid"]!.ToString());
        Assert.Equal(new BsonBinary(0, new byte[] { 0, 1, 0xfe }), document["bin"]);
        Assert.Equal(new BsonBinary(4, Convert.FromHexString("db77c845e60d4d55aebdf2b71d487e06")), document["uuid"]);
        Assert.Equal(new BsonTimestamp(1700000000, 7), document["ts"]);
        Assert.Equal("Zoë Ångström ✓", document["text"]);
        var array = document.GetDocument("sub")!.GetArray("a")!;
        Assert.Equal(1, array[0]);
        Assert.Equal("two", array[1]);
        Assert.Equal(3.0, ((BsonDocument)array[2]!)["three"]);
        Assert.Equal(bytes, BsonWriter.Encode(document));
    }

    private static async Task<string[]> RunPythonAsync(string mode, string input)
    {
        const string missing = "The pymongo cross-check needs Debian's python3-pymongo for /usr/bin/python3 (apt-get install python3-pymongo; ./build.sh test installs it).";
        if (!File.Exists(Python))
        {
            Assert.Fail(missing);
        }

        var script = Path.Combine(AppContext.BaseDirectory, "CrossCheck", "pymongo_bson.py");
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(mode);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var error = await stderr;
        if (error.Contains("No module named 'bson'", StringComparison.Ordinal) || error.Contains("No module named", StringComparison.Ordinal))
        {
            Assert.Fail(missing + Environment.NewLine + error);
        }

        Assert.True(process.ExitCode == 0, "pymongo helper failed: " + error);
        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
