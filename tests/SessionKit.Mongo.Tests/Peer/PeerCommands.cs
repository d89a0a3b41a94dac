using SessionKit.Mongo.Wire.Auth;
using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Tests.Peer;

/// <summary>The commands the peer understands, run against <see cref="PeerStorage"/> under its lock.</summary>
internal sealed class PeerCommands(PeerStorage storage)
{
    public PeerStorage Storage => storage;

    public string Me { get; set; } = "";

    /// <summary>The replica set name, or null to act as a standalone.</summary>
    public string? SetName { get; set; }

    public volatile bool IsPrimary = true;

    /// <summary>What this member reports as the primary (host:port) and the members, when in a replica set.</summary>
    public string? PrimaryHint { get; set; }

    public IReadOnlyList<string> Hosts { get; set; } = [];

    public int MaxWireVersion { get; set; } = 17;

    public int MaxMessageSizeBytes { get; set; } = 48_000_000;

    /// <summary>When set, every command but the handshake and SASL requires this user to have authenticated.</summary>
    public (string User, string Password, string[] Mechanisms)? User { get; set; }

    public BsonDocument Execute(BsonDocument command, PeerConnection connection)
    {
        var name = command.Elements[0].Key;
        var db = command.GetString("$db") ?? "test";
        if (User is not null && !connection.Authenticated && name is not ("isMaster" or "hello" or "saslStart" or "saslContinue"))
        {
            return Error(13, "Unauthorized", "command " + name + " requires authentication");
        }

        if (!IsPrimary && name is "insert" or "update" or "delete" or "findAndModify")
        {
            return Error(10107, "NotWritablePrimary", "not primary", "RetryableWriteError");
        }

        return name switch
        {
            "isMaster" or "hello" => Hello(command),
            "saslStart" => SaslStart(command, connection),
            "saslContinue" => SaslContinue(command, connection),
            "ping" or "endSessions" => Ok(),
            _ => RunLocked(name, db, command),
        };
    }

    private BsonDocument RunLocked(string name, string db, BsonDocument command)
    {
        var ns = db + "." + command.GetString(name);
        lock (storage.Sync)
        {
            var documents = storage.Collection(ns);
            return name switch
            {
                "insert" => Insert(documents, command.GetArray("documents")!),
                "find" => Find(documents, command, ns),
                "update" => Update(documents, (BsonDocument)command.GetArray("updates")![0]!),
                "delete" => Delete(documents, (BsonDocument)command.GetArray("deletes")![0]!),
                "findAndModify" => FindAndModify(documents, command),
                "count" => Ok().Add("n", documents.Count(d => PeerQuery.Matches(d, command.GetDocument("query") ?? []))),
                "createIndexes" => CreateIndexes(ns, command),
                _ => Error(59, "CommandNotFound", "no such command: '" + name + "'"),
            };
        }
    }

    private BsonDocument Hello(BsonDocument command)
    {
        var reply = new BsonDocument()
            .Add("helloOk", true)
            .Add("ismaster", IsPrimary)
            .Add("isWritablePrimary", IsPrimary)
            .Add("secondary", SetName is not null && !IsPrimary)
            .Add("maxBsonObjectSize", 16 * 1024 * 1024)
            .Add("maxMessageSizeBytes", MaxMessageSizeBytes)
            .Add("maxWriteBatchSize", 100_000)
            .Add("logicalSessionTimeoutMinutes", 30)
            .Add("minWireVersion", 0)
            .Add("maxWireVersion", MaxWireVersion);
        if (SetName is not null)
        {
            reply.Add("setName", SetName).Add("me", Me).Add("hosts", new BsonArray(Hosts.Select(h => (object?)h)));
            if (PrimaryHint is not null)
            {
                reply.Add("primary", PrimaryHint);
            }
        }

        if (User is { } user && command.GetString("saslSupportedMechs") is { } requested && requested.EndsWith("." + user.User, StringComparison.Ordinal))
        {
            reply.Add("saslSupportedMechs", new BsonArray(user.Mechanisms.Select(m => (object?)m)));
        }

        return reply.Add("ok", 1.0);
    }

    private BsonDocument SaslStart(BsonDocument command, PeerConnection connection)
    {
        var mechanism = command.GetString("mechanism")!;
        if (User is not { } user || !user.Mechanisms.Contains(mechanism))
        {
            return Error(18, "AuthenticationFailed", "Authentication failed.");
        }

        var clientFirst = ((BsonBinary)command["payload"]!).Data.ToArray();
        var userInMessage = System.Text.Encoding.UTF8.GetString(clientFirst).Split(',')[2][2..];
        connection.Scram = new PeerScram(ScramMechanism.FromName(mechanism), userInMessage == user.User ? user.User : "", userInMessage == user.User ? user.Password : Guid.NewGuid().ToString());
        var serverFirst = connection.Scram.Start(clientFirst);
        return new BsonDocument().Add("conversationId", 1).Add("done", false).Add("payload", new BsonBinary(0, serverFirst)).Add("ok", 1.0);
    }

    private static BsonDocument SaslContinue(BsonDocument command, PeerConnection connection)
    {
        var final = connection.Scram?.Finish(((BsonBinary)command["payload"]!).Data.ToArray());
        if (final is null)
        {
            return Error(18, "AuthenticationFailed", "Authentication failed.");
        }

        connection.Authenticated = true;
        return new BsonDocument().Add("conversationId", 1).Add("done", true).Add("payload", new BsonBinary(0, final)).Add("ok", 1.0);
    }

    private static BsonDocument Insert(List<BsonDocument> documents, BsonArray toInsert)
    {
        var n = 0;
        foreach (var document in toInsert.OfType<BsonDocument>())
        {
            if (documents.Exists(d => Equals(d["_id"], document["_id"])))
            {
                return Ok().Add("n", n).Add("writeErrors", new BsonArray
                {
                    new BsonDocument().Add("index", n).Add("code", 11000).Add("errmsg", "E11000 duplicate key error"),
                });
            }

            documents.Add(PeerQuery.Copy(document));
            n++;
        }

        return Ok().Add("n", n);
    }

    private static BsonDocument Find(List<BsonDocument> documents, BsonDocument command, string ns)
    {
        var matched = PeerQuery.Sort(documents.Where(d => PeerQuery.Matches(d, command.GetDocument("filter") ?? [])), command.GetDocument("sort"));
        var limit = (int)command.GetInt64("limit");
        var batch = new BsonArray((limit > 0 ? matched.Take(limit) : matched).Select(d => (object?)PeerQuery.Copy(d)));
        return new BsonDocument()
            .Add("cursor", new BsonDocument().Add("firstBatch", batch).Add("id", 0L).Add("ns", ns))
            .Add("ok", 1.0);
    }

    private static BsonDocument Update(List<BsonDocument> documents, BsonDocument spec)
    {
        var q = spec.GetDocument("q")!;
        var u = spec.GetDocument("u")!;
        var n = 0;
        for (var i = 0; i < documents.Count; i++)
        {
            if (PeerQuery.Matches(documents[i], q))
            {
                documents[i] = PeerQuery.ApplyUpdate(documents[i], u);
                n++;
                if (spec["multi"] is not true)
                {
                    break;
                }
            }
        }

        return Ok().Add("n", n).Add("nModified", n);
    }

    private static BsonDocument Delete(List<BsonDocument> documents, BsonDocument spec)
    {
        var q = spec.GetDocument("q")!;
        var limit = spec.GetInt64("limit");
        var n = 0;
        for (var i = 0; i < documents.Count && (limit == 0 || n < limit);)
        {
            if (PeerQuery.Matches(documents[i], q))
            {
                documents.RemoveAt(i);
                n++;
            }
            else
            {
                i++;
            }
        }

        return Ok().Add("n", n);
    }

    private static BsonDocument FindAndModify(List<BsonDocument> documents, BsonDocument command)
    {
        var match = PeerQuery.Sort(documents.Where(d => PeerQuery.Matches(d, command.GetDocument("query") ?? [])), command.GetDocument("sort")).FirstOrDefault();
        if (match is null)
        {
            return new BsonDocument().Add("lastErrorObject", new BsonDocument().Add("n", 0).Add("updatedExisting", false)).Add("value", null).Add("ok", 1.0);
        }

        var index = documents.IndexOf(match);
        if (command["remove"] is true)
        {
            documents.RemoveAt(index);
            return new BsonDocument().Add("lastErrorObject", new BsonDocument().Add("n", 1)).Add("value", match).Add("ok", 1.0);
        }

        documents[index] = PeerQuery.ApplyUpdate(match, command.GetDocument("update")!);
        return new BsonDocument()
            .Add("lastErrorObject", new BsonDocument().Add("n", 1).Add("updatedExisting", true))
            .Add("value", command["new"] is true ? documents[index] : match)
            .Add("ok", 1.0);
    }

    private BsonDocument CreateIndexes(string ns, BsonDocument command)
    {
        var before = storage.Indexes.TryGetValue(ns, out var existing) ? existing.Count : 1;
        var indexes = storage.Indexes.TryGetValue(ns, out var list) ? list : storage.Indexes[ns] = [];
        foreach (var spec in command.GetArray("indexes")!.OfType<BsonDocument>())
        {
            if (!indexes.Exists(i => i.GetString("name") == spec.GetString("name")))
            {
                indexes.Add(spec);
            }
        }

        return Ok().Add("numIndexesBefore", before).Add("numIndexesAfter", indexes.Count + 1);
    }

    private static BsonDocument Ok() => new BsonDocument().Add("ok", 1.0);

    private static BsonDocument Error(int code, string codeName, string message, string? label = null)
    {
        var error = new BsonDocument().Add("ok", 0.0).Add("errmsg", message).Add("code", code).Add("codeName", codeName);
        return label is null ? error : error.Add("errorLabels", new BsonArray { label });
    }
}
