using System.Diagnostics;
using System.Text.Json;
using SessionKit.Mongo.Wire.Bson;
using SessionKit.Mongo.Wire.Connection;
using SessionKit.Mongo.Wire.Protocol;

namespace SessionKit.Mongo.Tests.CrossCheck;

/// <summary>
/// The client against MockupDB (Debian's python3-mockupdb), an OP_MSG server written independently of this client:
/// the handshake, a retryable insert with a kind-1 sequence, and a find whose reply MockupDB encodes from the
/// documents PyMongo decoded. A missing package fails with instructions (./build.sh test installs it).
/// </summary>
public sealed class MockupDbCrossCheckTests
{
    [Fact]
    public async Task A_session_document_written_through_mockupdb_reads_back_unchanged()
    {
        using var server = StartServer(out var port);
        using var stopServer = new KillOnDispose(server);
        var received = new List<JsonElement>();
        var reader = Task.Run(async () =>
        {
            while (await server.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("RECEIVED ", StringComparison.Ordinal))
                {
                    lock (received)
                    {
                        received.Add(JsonDocument.Parse(line["RECEIVED ".Length..]).RootElement.Clone());
                    }
                }
            }
        });
        var record = new SessionRecord
        {
            Key = new SessionKey("Partitn1", "hash-" + Guid.NewGuid().ToString("N")),
            Subject = "user-7",
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_704_067_200_123),
            LastSeenAt = DateTimeOffset.FromUnixTimeMilliseconds(1_704_067_260_000),
            IdleExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(1_704_069_000_000),
            AbsoluteExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(1_704_096_000_000),
            Claims = [new SessionClaim("name", "Zoë")],
            Permissions = ["ASSIGN_USERS"],
            Client = new SessionClientInfo("203.0.113.7", "curl/8"),
        };

        await using (var client = new MongoClient(MongoConnectionStringParser.Parse($"mongodb://127.0.0.1:{port}/app?replicaSet=rs0&socketTimeoutMS=10000&serverSelectionTimeoutMS=10000")))
        {
            var (insert, sequences) = MongoCommands.Insert("sessions", [SessionDocument.From(record, 1)], null);
            await client.WriteAsync("app", insert, sequences, CancellationToken.None);
            var reply = await client.ReadAsync("app", MongoCommands.Find("sessions", new BsonDocument().Add("_id", record.Key.Hash), limit: 1), CancellationToken.None);

            var read = SessionDocument.ToRecord((BsonDocument)reply.GetDocument("cursor")!.GetArray("firstBatch")!.Single()!);
            Assert.Equal(record, read with { Claims = record.Claims, Permissions = record.Permissions });
            Assert.Equal(record.Claims, read.Claims);
            Assert.Equal(record.Permissions, read.Permissions);
        }

        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(20)), "MockupDB did not stop after endSessions.");
        await reader;
        var insertSeen = received.Single(c => c.EnumerateObject().First().Name == "insert");
        Assert.Equal("04", insertSeen.GetProperty("lsid").GetProperty("id").GetProperty("$binary").GetProperty("subType").GetString());
        Assert.Equal("1", insertSeen.GetProperty("txnNumber").GetProperty("$numberLong").GetString());
        Assert.Equal(record.Key.Hash, insertSeen.GetProperty("documents")[0].GetProperty("_id").GetString());
        Assert.Contains(received, c => c.EnumerateObject().First().Name == "isMaster" && c.GetProperty("client").GetProperty("driver").GetProperty("name").GetString() == "SessionKit.Mongo");
    }

    private static Process StartServer(out int port)
    {
        const string missing = "The MockupDB cross-check needs Debian's python3-mockupdb for /usr/bin/python3 (apt-get install python3-mockupdb; ./build.sh test installs it).";
        Assert.True(File.Exists("/usr/bin/python3"), missing);
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CrossCheck", "mockupdb_server.py"));
        var process = Process.Start(start)!;
        var first = process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (!int.TryParse(first, out port))
        {
            var error = process.StandardError.ReadToEnd();
            process.Kill();
            Assert.Fail(missing + Environment.NewLine + first + Environment.NewLine + error);
        }

        return process;
    }

    /// <summary>Ends the MockupDB process this test started if the test fails before it stopped by itself.</summary>
    private sealed class KillOnDispose(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
