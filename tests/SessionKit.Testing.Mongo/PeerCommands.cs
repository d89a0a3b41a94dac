using System.Collections.Concurrent;
using MongoDB.Bson;

namespace SessionKit.Testing.Mongo;

/// <summary>
/// The commands the peer understands: the handshake (as a standalone or a replica-set primary), SCRAM, and the CRUD and
/// index commands the store and the tests send, run against <see cref="PeerStorage"/> under its lock. A retryable write
/// (one that carries <c>lsid</c> and <c>txnNumber</c>) is applied once: its retry gets the first reply again.
/// </summary>
public sealed class PeerCommands(PeerStorage storage)
{
    private const int DuplicateKey = 11000;
    private readonly ConcurrentDictionary<string, BsonDocument> _retryableReplies = new(StringComparer.Ordinal);
    private int _connectionIds;

    public PeerStorage Storage => storage;

    public string Me { get; set; } = "";

    /// <summary>The replica set name, or null to act as a standalone.</summary>
    public string? SetName { get; set; }

    public volatile bool IsPrimary = true;

    /// <summary>When set, every command but the handshake and SASL requires this user to have authenticated.</summary>
    public (string User, string Password, string[] Mechanisms)? User { get; set; }

    /// <summary>How many retryable writes were answered from the first attempt's reply.</summary>
    public int RetriesAnsweredOnce => _retriesAnsweredOnce;

    private int _retriesAnsweredOnce;

    public int NextConnectionId() => Interlocked.Increment(ref _connectionIds);

    public BsonDocument Execute(BsonDocument command, PeerConnection connection)
    {
        var name = command.GetElement(0).Name;
        if (User is not null && !connection.Authenticated && name is not ("isMaster" or "ismaster" or "hello" or "saslStart" or "saslContinue"))
        {
            return Error(13, "Unauthorized", "command " + name + " requires authentication");
        }

        if (!IsPrimary && name is "insert" or "update" or "delete" or "findAndModify")
        {
            return PeerFault.NotWritablePrimary();
        }

        return name switch
        {
            "isMaster" or "ismaster" or "hello" => Hello(command, connection),
            "saslStart" => SaslStart(command, connection),
            "saslContinue" => SaslContinue(command, connection),
            "ping" or "endSessions" or "killCursors" => Ok(),
            "buildInfo" or "buildinfo" => Ok().Add("version", "7.0.0").Add("versionArray", new BsonArray { 7, 0, 0, 0 }),
            _ => Retryable(command, () => RunLocked(name, command)),
        };
    }

    private BsonDocument Retryable(BsonDocument command, Func<BsonDocument> run)
    {
        if (SetName is null || !command.TryGetValue("txnNumber", out var txnNumber) || !command.TryGetValue("lsid", out var lsid))
        {
            return run();
        }

        var key = Convert.ToHexString(lsid["id"].AsBsonBinaryData.Bytes) + ":" + txnNumber.ToInt64();
        lock (_retryableReplies)
        {
            if (_retryableReplies.TryGetValue(key, out var first))
            {
                Interlocked.Increment(ref _retriesAnsweredOnce);
                return first;
            }

            var reply = run();
            _retryableReplies[key] = reply;
            return reply;
        }
    }

    private BsonDocument RunLocked(string name, BsonDocument command)
    {
        var db = command.GetValue("$db", "test").AsString;
        var ns = db + "." + command[name].AsString;
        lock (storage.Sync)
        {
            var documents = storage.Collection(ns);
            return name switch
            {
                "insert" => Insert(documents, command["documents"].AsBsonArray),
                "find" => Find(documents, command, ns),
                "getMore" => Error(43, "CursorNotFound", "the test peer returns every result in the first batch"),
                "update" => Update(documents, command["updates"].AsBsonArray),
                "delete" => Delete(documents, command["deletes"].AsBsonArray),
                "findAndModify" => FindAndModify(documents, command),
                "createIndexes" => CreateIndexes(ns, command),
                "listIndexes" => ListIndexes(ns),
                "aggregate" => Aggregate(documents, command, ns),
                "drop" => Drop(documents),
                _ => Error(59, "CommandNotFound", "no such command: '" + name + "'"),
            };
        }
    }

    private BsonDocument Hello(BsonDocument command, PeerConnection connection)
    {
        connection.Id = connection.Id == 0 ? NextConnectionId() : connection.Id;
        var reply = new BsonDocument
        {
            { "helloOk", true },
            { "ismaster", IsPrimary },
            { "isWritablePrimary", IsPrimary },
            { "maxBsonObjectSize", 16 * 1024 * 1024 },
            { "maxMessageSizeBytes", 48_000_000 },
            { "maxWriteBatchSize", 100_000 },
            { "localTime", new BsonDateTime(DateTime.UtcNow) },
            { "logicalSessionTimeoutMinutes", 30 },
            { "connectionId", connection.Id },
            { "minWireVersion", 0 },
            { "maxWireVersion", 21 },
        };
        if (SetName is not null)
        {
            reply.Add("setName", SetName).Add("setVersion", 1).Add("secondary", !IsPrimary).Add("me", Me).Add("hosts", new BsonArray { Me });
            if (IsPrimary)
            {
                reply.Add("primary", Me).Add("electionId", new ObjectId("7fffffff0000000000000001"));
            }
        }

        if (User is { } user && command.GetValue("saslSupportedMechs", BsonNull.Value) is BsonString requested && requested.Value.EndsWith("." + user.User, StringComparison.Ordinal))
        {
            reply.Add("saslSupportedMechs", new BsonArray(user.Mechanisms));
        }

        return reply.Add("ok", 1.0);
    }

    private BsonDocument SaslStart(BsonDocument command, PeerConnection connection)
    {
        var mechanism = command["mechanism"].AsString;
        if (User is not { } user || !user.Mechanisms.Contains(mechanism))
        {
            return Error(18, "AuthenticationFailed", "Authentication failed.");
        }

        var clientFirst = command["payload"].AsBsonBinaryData.Bytes;
        var userInMessage = System.Text.Encoding.UTF8.GetString(clientFirst).Split(',')[2][2..];
        var known = userInMessage == user.User;
        connection.Scram = new PeerScram(mechanism, userInMessage, known ? user.Password : Guid.NewGuid().ToString());
        return new BsonDocument
        {
            { "conversationId", 1 },
            { "done", false },
            { "payload", new BsonBinaryData(connection.Scram.Start(clientFirst)) },
            { "ok", 1.0 },
        };
    }

    private static BsonDocument SaslContinue(BsonDocument command, PeerConnection connection)
    {
        if (connection.Scram?.Finish(command["payload"].AsBsonBinaryData.Bytes) is not { } final)
        {
            return Error(18, "AuthenticationFailed", "Authentication failed.");
        }

        connection.Authenticated = true;
        return new BsonDocument { { "conversationId", 1 }, { "done", true }, { "payload", new BsonBinaryData(final) }, { "ok", 1.0 } };
    }

    private static BsonDocument Insert(List<BsonDocument> documents, BsonArray toInsert)
    {
        var n = 0;
        foreach (var document in toInsert.Select(d => d.AsBsonDocument))
        {
            if (documents.Exists(d => d["_id"].Equals(document["_id"])))
            {
                return Ok().Add("n", n).Add("writeErrors", new BsonArray { DuplicateKeyError(n) });
            }

            documents.Add(document.DeepClone().AsBsonDocument);
            n++;
        }

        return Ok().Add("n", n);
    }

    private static BsonDocument Find(List<BsonDocument> documents, BsonDocument command, string ns)
    {
        var matched = PeerQuery.Sort(documents.Where(d => PeerQuery.Matches(d, command.GetValue("filter", new BsonDocument()).AsBsonDocument)), command.GetValue("sort", BsonNull.Value) as BsonDocument);
        var limit = command.GetValue("limit", 0).ToInt32();
        var projection = command.GetValue("projection", BsonNull.Value) as BsonDocument;
        var batch = new BsonArray((limit != 0 ? matched.Take(Math.Abs(limit)) : matched).Select(d => PeerQuery.Project(d, projection)));
        return new BsonDocument
        {
            { "cursor", new BsonDocument { { "firstBatch", batch }, { "id", 0L }, { "ns", ns } } },
            { "ok", 1.0 },
        };
    }

    private static BsonDocument Update(List<BsonDocument> documents, BsonArray updates)
    {
        int n = 0, modified = 0;
        var upserted = new BsonArray();
        for (var index = 0; index < updates.Count; index++)
        {
            var spec = updates[index].AsBsonDocument;
            var q = spec["q"].AsBsonDocument;
            var u = spec["u"].AsBsonDocument;
            var matchedAny = false;
            for (var i = 0; i < documents.Count; i++)
            {
                if (PeerQuery.Matches(documents[i], q))
                {
                    var updated = PeerQuery.ApplyUpdate(documents[i], u, inserting: false);
                    modified += updated.Equals(documents[i]) ? 0 : 1;
                    documents[i] = updated;
                    n++;
                    matchedAny = true;
                    if (!spec.GetValue("multi", false).ToBoolean())
                    {
                        break;
                    }
                }
            }

            if (!matchedAny && spec.GetValue("upsert", false).ToBoolean())
            {
                var inserted = PeerQuery.Upserted(q, u);
                if (documents.Exists(d => d["_id"].Equals(inserted["_id"])))
                {
                    return Ok().Add("n", n).Add("nModified", modified).Add("writeErrors", new BsonArray { DuplicateKeyError(index) });
                }

                documents.Add(inserted);
                upserted.Add(new BsonDocument { { "index", index }, { "_id", inserted["_id"] } });
                n++;
            }
        }

        var reply = Ok().Add("n", n).Add("nModified", modified);
        return upserted.Count > 0 ? reply.Add("upserted", upserted) : reply;
    }

    private static BsonDocument Delete(List<BsonDocument> documents, BsonArray deletes)
    {
        var n = 0;
        foreach (var spec in deletes.Select(d => d.AsBsonDocument))
        {
            var q = spec["q"].AsBsonDocument;
            var limit = spec.GetValue("limit", 0).ToInt32();
            var deleted = 0;
            for (var i = 0; i < documents.Count && (limit == 0 || deleted < limit);)
            {
                if (PeerQuery.Matches(documents[i], q))
                {
                    documents.RemoveAt(i);
                    deleted++;
                }
                else
                {
                    i++;
                }
            }

            n += deleted;
        }

        return Ok().Add("n", n);
    }

    private static BsonDocument FindAndModify(List<BsonDocument> documents, BsonDocument command)
    {
        var query = command.GetValue("query", new BsonDocument()).AsBsonDocument;
        var match = PeerQuery.Sort(documents.Where(d => PeerQuery.Matches(d, query)), command.GetValue("sort", BsonNull.Value) as BsonDocument).FirstOrDefault();
        var fields = command.GetValue("fields", BsonNull.Value) as BsonDocument;
        var returnNew = command.GetValue("new", false).ToBoolean();
        if (match is null)
        {
            if (command.GetValue("upsert", false).ToBoolean() && !command.GetValue("remove", false).ToBoolean())
            {
                var inserted = PeerQuery.Upserted(query, command["update"].AsBsonDocument);
                if (documents.Exists(d => d["_id"].Equals(inserted["_id"])))
                {
                    return Error(DuplicateKey, "DuplicateKey", "E11000 duplicate key error collection: index: _id_ dup key");
                }

                documents.Add(inserted);
                return new BsonDocument
                {
                    { "lastErrorObject", new BsonDocument { { "n", 1 }, { "updatedExisting", false }, { "upserted", inserted["_id"] } } },
                    { "value", returnNew ? PeerQuery.Project(inserted, fields) : BsonNull.Value },
                    { "ok", 1.0 },
                };
            }

            return new BsonDocument { { "lastErrorObject", new BsonDocument { { "n", 0 }, { "updatedExisting", false } } }, { "value", BsonNull.Value }, { "ok", 1.0 } };
        }

        var index = documents.IndexOf(match);
        if (command.GetValue("remove", false).ToBoolean())
        {
            documents.RemoveAt(index);
            return new BsonDocument { { "lastErrorObject", new BsonDocument("n", 1) }, { "value", PeerQuery.Project(match, fields) }, { "ok", 1.0 } };
        }

        documents[index] = PeerQuery.ApplyUpdate(match, command["update"].AsBsonDocument, inserting: false);
        return new BsonDocument
        {
            { "lastErrorObject", new BsonDocument { { "n", 1 }, { "updatedExisting", true } } },
            { "value", PeerQuery.Project(returnNew ? documents[index] : match, fields) },
            { "ok", 1.0 },
        };
    }

    private BsonDocument CreateIndexes(string ns, BsonDocument command)
    {
        if (!storage.Indexes.TryGetValue(ns, out var indexes))
        {
            indexes = [];
            storage.Indexes[ns] = indexes;
        }

        var before = indexes.Count + 1;
        foreach (var spec in command["indexes"].AsBsonArray.Select(i => i.AsBsonDocument))
        {
            if (!indexes.Exists(i => i["name"] == spec["name"]))
            {
                indexes.Add(spec);
            }
        }

        return Ok().Add("numIndexesBefore", before).Add("numIndexesAfter", indexes.Count + 1);
    }

    private BsonDocument ListIndexes(string ns)
    {
        var indexes = new BsonArray { new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } } };
        if (storage.Indexes.TryGetValue(ns, out var specs))
        {
            indexes.AddRange(specs.Select(s => s.DeepClone()));
        }

        return new BsonDocument { { "cursor", new BsonDocument { { "firstBatch", indexes }, { "id", 0L }, { "ns", ns } } }, { "ok", 1.0 } };
    }

    /// <summary>The pipelines of countDocuments (what mongosh and the driver send to count): $match, $skip, $limit, then a $group that counts.</summary>
    private static BsonDocument Aggregate(List<BsonDocument> documents, BsonDocument command, string ns)
    {
        IEnumerable<BsonDocument> current = documents;
        foreach (var stage in command["pipeline"].AsBsonArray.Select(s => s.AsBsonDocument.GetElement(0)))
        {
            current = stage.Name switch
            {
                "$match" => current.Where(d => PeerQuery.Matches(d, stage.Value.AsBsonDocument)).ToList(),
                "$skip" => current.Skip(stage.Value.ToInt32()).ToList(),
                "$limit" => current.Take(stage.Value.ToInt32()).ToList(),
                "$group" when stage.Value["_id"].IsNumeric && stage.Value.AsBsonDocument.ElementCount == 2 && stage.Value.AsBsonDocument.GetElement(1).Value == new BsonDocument("$sum", 1)
                    => current.Any() ? [new BsonDocument { { "_id", stage.Value["_id"] }, { stage.Value.AsBsonDocument.GetElement(1).Name, current.Count() } }] : [],
                _ => throw new NotSupportedException($"The test peer does not run the aggregation stage {stage.Name}."),
            };
        }

        return new BsonDocument { { "cursor", new BsonDocument { { "firstBatch", new BsonArray(current) }, { "id", 0L }, { "ns", ns } } }, { "ok", 1.0 } };
    }

    private static BsonDocument Drop(List<BsonDocument> documents)
    {
        documents.Clear();
        return Ok();
    }

    private static BsonDocument DuplicateKeyError(int index) => new()
    {
        { "index", index },
        { "code", DuplicateKey },
        { "errmsg", "E11000 duplicate key error collection: index: _id_ dup key" },
    };

    private static BsonDocument Ok() => new("ok", 1.0);

    private static BsonDocument Error(int code, string codeName, string message) => new()
    {
        { "ok", 0.0 },
        { "errmsg", message },
        { "code", code },
        { "codeName", codeName },
    };
}
