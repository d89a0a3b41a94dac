using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Wire.Protocol;

/// <summary>
/// Builds the command documents of the CRUD and index commands the session store uses, in the shapes the server
/// (and other drivers) use: the command name first, inserts as a kind-1 <c>documents</c> sequence, and
/// <c>writeConcern</c> only when one is configured. <c>$db</c>, <c>lsid</c> and <c>txnNumber</c> are added by the client.
/// </summary>
internal static class MongoCommands
{
    public static (BsonDocument Command, IReadOnlyList<OpMsgSequence> Sequences) Insert(string collection, IReadOnlyList<BsonDocument> documents, BsonDocument? writeConcern)
    {
        var command = new BsonDocument().Add("insert", collection).Add("ordered", true);
        AddWriteConcern(command, writeConcern);
        return (command, [new OpMsgSequence("documents", documents)]);
    }

    public static BsonDocument Find(string collection, BsonDocument filter, BsonDocument? sort = null, int limit = 0, BsonDocument? projection = null)
    {
        var command = new BsonDocument().Add("find", collection).Add("filter", filter);
        if (sort is not null)
        {
            command.Add("sort", sort);
        }

        if (projection is not null)
        {
            command.Add("projection", projection);
        }

        if (limit > 0)
        {
            command.Add("limit", limit);
        }

        if (limit == 1)
        {
            command.Add("singleBatch", true);
        }

        return command;
    }

    public static BsonDocument GetMore(string collection, long cursorId) => new BsonDocument().Add("getMore", cursorId).Add("collection", collection);

    public static BsonDocument UpdateOne(string collection, BsonDocument filter, BsonDocument update, BsonDocument? writeConcern)
    {
        var command = new BsonDocument()
            .Add("update", collection)
            .Add("updates", new BsonArray { new BsonDocument().Add("q", filter).Add("u", update).Add("multi", false).Add("upsert", false) })
            .Add("ordered", true);
        AddWriteConcern(command, writeConcern);
        return command;
    }

    /// <summary>A delete: <paramref name="limit"/> 1 deletes one matching document (retryable), 0 all of them (not retryable).</summary>
    public static BsonDocument Delete(string collection, BsonDocument filter, int limit, BsonDocument? writeConcern)
    {
        var command = new BsonDocument()
            .Add("delete", collection)
            .Add("deletes", new BsonArray { new BsonDocument().Add("q", filter).Add("limit", limit) })
            .Add("ordered", true);
        AddWriteConcern(command, writeConcern);
        return command;
    }

    public static BsonDocument FindAndModify(string collection, BsonDocument query, BsonDocument update, bool returnNew, bool upsert, BsonDocument? writeConcern)
    {
        var command = new BsonDocument()
            .Add("findAndModify", collection)
            .Add("query", query)
            .Add("new", returnNew)
            .Add("update", update)
            .Add("upsert", upsert);
        AddWriteConcern(command, writeConcern);
        return command;
    }

    public static BsonDocument Count(string collection, BsonDocument query) => new BsonDocument().Add("count", collection).Add("query", query);

    /// <summary>createIndexes with each index as (name, keys, expireAfterSeconds or null).</summary>
    public static BsonDocument CreateIndexes(string collection, params (string Name, BsonDocument Keys, int? ExpireAfterSeconds)[] indexes)
    {
        var specs = new BsonArray();
        foreach (var (name, keys, expireAfterSeconds) in indexes)
        {
            var spec = new BsonDocument().Add("key", keys).Add("name", name);
            if (expireAfterSeconds is { } seconds)
            {
                spec.Add("expireAfterSeconds", seconds);
            }

            specs.Add(spec);
        }

        return new BsonDocument().Add("createIndexes", collection).Add("indexes", specs);
    }

    /// <summary>A writeConcern document with only the fields that were set; null when nothing is set (server default).</summary>
    public static BsonDocument? WriteConcern(object? w, bool? journal, TimeSpan? timeout)
    {
        if (w is null && journal is null && timeout is null)
        {
            return null;
        }

        var document = new BsonDocument();
        if (w is not null)
        {
            document.Add("w", w);
        }

        if (journal is { } j)
        {
            document.Add("j", j);
        }

        if (timeout is { } t)
        {
            document.Add("wtimeout", (long)t.TotalMilliseconds);
        }

        return document;
    }

    private static void AddWriteConcern(BsonDocument command, BsonDocument? writeConcern)
    {
        if (writeConcern is not null)
        {
            command.Add("writeConcern", writeConcern);
        }
    }
}
