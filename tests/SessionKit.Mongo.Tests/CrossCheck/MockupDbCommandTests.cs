using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;

namespace SessionKit.Mongo.Tests.CrossCheck;

/// <summary>
/// The exact commands the store sends through the official driver, as MockupDB (Debian's python3-mockupdb, a wire
/// server written independently of the driver and of these tests) receives them: collection, filter, update, sort,
/// projection, write concern, and the index specifications. A missing package fails with instructions
/// (./build.sh test installs it).
/// </summary>
public sealed class MockupDbCommandTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);
    private static readonly BsonDateTime NowDate = new(Now.ToUnixTimeMilliseconds());
    private static readonly BsonDocument Live = new() { { "idle", new BsonDocument("$gt", NowDate) }, { "abs", new BsonDocument("$gt", NowDate) } };
    private static readonly BsonDocument WriteConcern = new() { { "w", "majority" }, { "j", true } };

    [Fact]
    public async Task Every_operation_sends_exactly_the_documented_command()
    {
        var record = new SessionRecord
        {
            Key = new SessionKey("Partitn1", new string('k', 43)),
            Subject = "user-7",
            Scheme = "SessionJwt",
            CreatedAt = Now,
            LastSeenAt = Now,
            IdleExpiresAt = Now.AddMinutes(30),
            AbsoluteExpiresAt = Now.AddHours(8),
            Claims = [new SessionClaim("name", "Zoë")],
            Permissions = ["ASSIGN_USERS"],
            ClaimsVersion = 2,
        };
        var commands = await RunAgainstMockupDbAsync(async store =>
        {
            await store.CreateAsync(record, 0, CancellationToken.None);
            await store.GetAsync(record.Key, CancellationToken.None);
            await store.TouchAsync(record.Key, Now, Now.AddMinutes(30), CancellationToken.None);
            await store.UpdateAsync(record, 1, CancellationToken.None);
            await store.DeleteAsync(record.Key, CancellationToken.None);
            await store.DeleteBySubjectAsync("user-7", except: null, CancellationToken.None);
            await store.UpdateSubjectClaimsAsync("user-7", new SubjectClaims([], ["READ"], 5), Now.AddHours(8), CancellationToken.None);
            await store.ListBySubjectAsync("user-7", CancellationToken.None);
            await store.QueryAsync(new SessionQuery { PageSize = 2, CreatedFrom = Now }, CancellationToken.None);
            await store.DeleteAllAsync(CancellationToken.None);
            await store.CreateAsync(record with { Key = new SessionKey("Partitn1", new string('m', 43)) }, 3, CancellationToken.None);
        });

        var expected = new List<(string Name, BsonDocument Fields)>
        {
            ("createIndexes", new BsonDocument { { "createIndexes", "sessions" }, { "indexes", new BsonArray
            {
                new BsonDocument { { "key", new BsonDocument("x", 1) }, { "name", "x_1" }, { "expireAfterSeconds", 0L } },
                new BsonDocument { { "key", new BsonDocument { { "sub", 1 }, { "c", 1 } } }, { "name", "sub_1_c_1" } },
                new BsonDocument { { "key", new BsonDocument { { "c", 1 }, { "_id", 1 } } }, { "name", "c_1__id_1" } },
            } } }),
            ("createIndexes", new BsonDocument { { "createIndexes", "session_subjects" }, { "indexes", new BsonArray
            {
                new BsonDocument { { "key", new BsonDocument("expireAt", 1) }, { "name", "expireAt_1" }, { "expireAfterSeconds", 0L } },
            } } }),
            // Create: insert, then read the subject's latest claims (extending its TTL date when it exists).
            ("insert", new BsonDocument { { "insert", "sessions" }, { "documents", new BsonArray { SessionDocument.Encode(record, 1) } }, { "writeConcern", WriteConcern } }),
            ("findAndModify", new BsonDocument
            {
                { "findAndModify", "session_subjects" }, { "query", new BsonDocument("_id", "user-7") },
                { "update", new BsonDocument("$max", new BsonDocument("expireAt", new BsonDateTime(Now.AddHours(8).ToUnixTimeMilliseconds()))) },
                { "new", true }, { "writeConcern", WriteConcern },
            }),
            // Get: by _id alone (a document of another format is then found and logged), one document.
            ("find", new BsonDocument { { "find", "sessions" }, { "filter", new BsonDocument("_id", record.Key.Hash) }, { "limit", 1 } }),
            ("update", new BsonDocument { { "update", "sessions" }, { "updates", new BsonArray { new BsonDocument
            {
                { "q", Key(record.Key).AddRange(Live) },
                { "u", new BsonDocument("$set", new BsonDocument { { "seen", NowDate }, { "idle", Date(Now.AddMinutes(30)) }, { "x", Date(Now.AddMinutes(30)) } }) },
            } } }, { "writeConcern", WriteConcern } }),
            ("update", new BsonDocument { { "update", "sessions" }, { "updates", new BsonArray { new BsonDocument
            {
                { "q", Key(record.Key).AddRange(Live).Add("sub", "user-7").Add("scheme", "SessionJwt").Add("ver", 1L) },
                { "u", SessionDocument.Encode(record, 2) },
            } } }, { "writeConcern", WriteConcern } }),
            ("findAndModify", new BsonDocument { { "findAndModify", "sessions" }, { "query", Key(record.Key) }, { "remove", true }, { "fields", new BsonDocument { { "idle", 1 }, { "abs", 1 } } }, { "writeConcern", WriteConcern } }),
            // Revoke a user: the live keys it reports, then one deleteMany by subject.
            ("find", new BsonDocument { { "find", "sessions" }, { "filter", new BsonDocument("sub", "user-7").AddRange(Live) }, { "sort", new BsonDocument { { "c", 1 }, { "_id", 1 } } }, { "projection", new BsonDocument { { "_id", 1 }, { "p", 1 } } } }),
            ("delete", new BsonDocument { { "delete", "sessions" }, { "deletes", new BsonArray { new BsonDocument { { "q", new BsonDocument("sub", "user-7") }, { "limit", 0 } } } }, { "writeConcern", WriteConcern } }),
            // Update a user's claims: the subject's document (conditional on its version), the keys, one updateMany.
            ("findAndModify", new BsonDocument
            {
                { "findAndModify", "session_subjects" }, { "query", new BsonDocument { { "_id", "user-7" }, { "version", new BsonDocument("$lt", 5L) } } },
                { "update", new BsonDocument
                {
                    { "$set", new BsonDocument { { "claims", new BsonArray() }, { "permissions", new BsonArray { "READ" } }, { "version", 5L } } },
                    { "$max", new BsonDocument("expireAt", Date(Now.AddHours(8))) },
                } },
                { "new", true }, { "upsert", true }, { "writeConcern", WriteConcern },
            }),
            ("find", new BsonDocument { { "find", "sessions" }, { "filter", new BsonDocument("sub", "user-7").AddRange(Live).Add("cv", new BsonDocument("$lt", 5L)) }, { "sort", new BsonDocument { { "c", 1 }, { "_id", 1 } } }, { "projection", new BsonDocument { { "_id", 1 }, { "p", 1 } } } }),
            ("update", new BsonDocument { { "update", "sessions" }, { "updates", new BsonArray { new BsonDocument
            {
                { "q", new BsonDocument("sub", "user-7").AddRange(Live).Add("cv", new BsonDocument("$lt", 5L)) },
                { "u", new BsonDocument { { "$set", new BsonDocument { { "claims", new BsonArray() }, { "permissions", new BsonArray { "READ" } }, { "cv", 5L } } }, { "$inc", new BsonDocument("ver", 1L) } } },
                { "multi", true },
            } } }, { "writeConcern", WriteConcern } }),
            ("find", new BsonDocument { { "find", "sessions" }, { "filter", new BsonDocument("sub", "user-7").AddRange(Live) }, { "sort", new BsonDocument { { "c", 1 }, { "_id", 1 } } } }),
            // A page of all sessions: through the { c, _id } index, one more than the page to know whether another follows.
            ("find", new BsonDocument
            {
                { "find", "sessions" },
                { "filter", new BsonDocument(Live).Add("$and", new BsonArray { new BsonDocument("c", new BsonDocument("$gte", NowDate)) }) },
                { "sort", new BsonDocument { { "c", 1 }, { "_id", 1 } } },
                { "limit", 3 },
            }),
            // Log everyone out: the live sessions (counted), then whatever else is a session (tombstones stay).
            ("delete", new BsonDocument { { "delete", "sessions" }, { "deletes", new BsonArray { new BsonDocument { { "q", new BsonDocument(Live) }, { "limit", 0 } } } }, { "writeConcern", WriteConcern } }),
            ("delete", new BsonDocument { { "delete", "sessions" }, { "deletes", new BsonArray { new BsonDocument { { "q", new BsonDocument("sub", new BsonDocument("$exists", true)) }, { "limit", 0 } } } }, { "writeConcern", WriteConcern } }),
        };

        var received = commands.Where(c => c.GetElement(0).Name != "endSessions").ToList();
        Assert.True(received.Count >= expected.Count, "Received:" + Environment.NewLine + string.Join(Environment.NewLine, received.Select(c => c.ToJson())));
        for (var i = 0; i < expected.Count; i++)
        {
            var (name, fields) = expected[i];
            Assert.Equal(name, received[i].GetElement(0).Name);
            foreach (var field in fields)
            {
                Assert.True(received[i].Contains(field.Name), $"Command {i} ({name}) has no \"{field.Name}\": {received[i].ToJson()}");
                Assert.True(field.Value.Equals(received[i][field.Name]), $"Command {i} ({name}), \"{field.Name}\":{Environment.NewLine}expected {field.Value.ToJson()}{Environment.NewLine}received {received[i][field.Name].ToJson()}");
            }
        }

        // The limited create: takes the subject's lease (upsert; a duplicate key means "held"), evicts, inserts, releases.
        var lease = received[expected.Count];
        Assert.Equal("findAndModify", lease.GetElement(0).Name);
        Assert.Equal("session_subjects", lease["findAndModify"].AsString);
        Assert.Equal(new BsonDocument { { "_id", "user-7" }, { "$or", new BsonArray { new BsonDocument("lease", BsonNull.Value), new BsonDocument("leaseUntil", new BsonDocument("$lte", NowDate)) } } }, lease["query"]);
        Assert.True(lease["upsert"].AsBoolean);
        Assert.Equal(["$set", "$setOnInsert", "$max"], lease["update"].AsBsonDocument.Names);
        Assert.Equal(WriteConcern, lease["writeConcern"]);
        Assert.Contains(received.Skip(expected.Count), c => c.GetElement(0).Name == "findAndModify" && c["query"].AsBsonDocument.Contains("lease") && c["update"].AsBsonDocument.Contains("$unset"));
    }

    private static BsonDocument Key(SessionKey key) => new() { { "_id", key.Hash }, { "p", key.Partition } };

    private static BsonDateTime Date(DateTimeOffset value) => new(value.ToUnixTimeMilliseconds());

    private static async Task<List<BsonDocument>> RunAgainstMockupDbAsync(Func<MongoSessionStore, Task> operations)
    {
        const string missing = "The MockupDB cross-check needs Debian's python3-mockupdb for /usr/bin/python3 (apt-get install python3-mockupdb; ./build.sh test installs it).";
        Assert.True(File.Exists("/usr/bin/python3"), missing);
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CrossCheck", "mockupdb_server.py"));
        using var server = Process.Start(start)!;
        try
        {
            var first = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (!int.TryParse(first, out var port))
            {
                Assert.Fail(missing + Environment.NewLine + first + Environment.NewLine + await server.StandardError.ReadToEndAsync());
            }

            var lines = new List<string>();
            var reader = Task.Run(async () =>
            {
                while (await server.StandardOutput.ReadLineAsync() is { } line)
                {
                    lines.Add(line);
                }
            });
            using (var client = new MongoClient($"mongodb://127.0.0.1:{port}/app?replicaSet=rs0&w=majority&journal=true&serverSelectionTimeoutMS=10000"))
            {
                var store = new MongoSessionStore(client.GetDatabase("app"), new MongoSessionStoreOptions(), new FakeTimeProvider(Now), NullLogger<MongoSessionStore>.Instance);
                await operations(store);
            }

            // Every command is printed before it is answered, so all of them are in the pipe by now.
            server.Kill();
            await reader.WaitAsync(TimeSpan.FromSeconds(20));
            return lines.Where(l => l.StartsWith("RECEIVED ", StringComparison.Ordinal)).Select(l => BsonDocument.Parse(l["RECEIVED ".Length..])).ToList();
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
            }
        }
    }
}
