using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SessionKit.Mongo.Tests.Peer;
using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Tests.Store;

/// <summary>What the MongoDB store adds to the contract: its document, its indexes, the operator's mongosh commands, and DI registration.</summary>
public sealed class MongoStoreBehaviourTests(WirePeerFixture fixture) : IClassFixture<WirePeerFixture>
{
    private readonly string _collection = "sessions_" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task The_stored_document_is_plain_with_the_hashed_id_as_id_and_bson_dates()
    {
        await using var store = NewStore();
        var record = NewRecord("alice");

        await store.CreateAsync(record, 0, CancellationToken.None);

        var document = Assert.Single(Documents());
        Assert.Equal(
            ["_id", "partition", "subject", "createdAt", "lastSeenAt", "idleExpiresAt", "absoluteExpiresAt", "expiresAt", "claims", "permissions", "client", "version"],
            document.Elements.Select(e => e.Key));
        Assert.Equal(record.Key.Hash, document["_id"]);
        Assert.Equal("alice", document["subject"]);
        Assert.Equal(BsonDateTime.From(record.IdleExpiresAt), document["expiresAt"]);
        Assert.IsType<BsonDateTime>(document["createdAt"]);
        Assert.Equal(1L, document["version"]);
        Assert.Equal("role", ((BsonDocument)document.GetArray("claims")![0]!)["type"]);
    }

    [Fact]
    public async Task Indexes_are_created_once_ttl_on_expires_at_and_one_on_the_subject()
    {
        await using (var first = NewStore())
        {
            await first.GetAsync(NewRecord("a").Key, CancellationToken.None);
            await first.GetAsync(NewRecord("a").Key, CancellationToken.None);
        }

        await using (var second = NewStore())
        {
            await second.GetAsync(NewRecord("a").Key, CancellationToken.None);
        }

        var indexes = fixture.Peer.Commands.Storage.Indexes["app." + _collection];
        var ttl = Assert.Single(indexes, i => i.GetString("name") == "expiresAt_1");
        Assert.Equal(0, ttl["expireAfterSeconds"]);
        Assert.Contains(indexes, i => i.GetDocument("key")!.Elements[0].Key == "subject");
        Assert.Equal(2, fixture.Peer.Received.Count(c => c.GetString("createIndexes") == _collection));
    }

    [Theory]
    [InlineData("subject")]
    [InlineData("claims")]
    [InlineData("version")]
    [InlineData("createdAt")]
    public async Task A_document_edited_into_another_shape_reads_as_not_found_instead_of_failing(string field)
    {
        await using var store = NewStore();
        var record = NewRecord("dave");
        var other = NewRecord("dave");
        await store.CreateAsync(record, 0, CancellationToken.None);
        await store.CreateAsync(other, 0, CancellationToken.None);
        lock (fixture.Peer.Commands.Storage.Sync)
        {
            Documents().Single(d => Equals(d["_id"], record.Key.Hash)).Set(field, field switch
            {
                "claims" => new BsonArray { 42 },
                "subject" => 42,
                _ => "not the right type",
            });
        }

        Assert.Null(await store.GetAsync(record.Key, CancellationToken.None));
        Assert.Equal([other.Key], (await store.ListBySubjectAsync("dave", CancellationToken.None)).Select(s => s.Key));
    }

    [Fact]
    public async Task Deleting_the_documents_directly_logs_everyone_out_on_the_next_request()
    {
        await using var store = NewStore();
        var record = NewRecord("bob");
        await store.CreateAsync(record, 0, CancellationToken.None);

        // What an operator's db.sessions.deleteMany({}) does, done on the peer's storage.
        lock (fixture.Peer.Commands.Storage.Sync)
        {
            Documents().Clear();
        }

        Assert.Null(await store.GetAsync(record.Key, CancellationToken.None));
    }

    [Fact]
    public async Task Add_mongo_store_replaces_the_in_memory_store()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSessionKit().AddMongoStore(fixture.ConnectionString, o => o.Collection = _collection);
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<ISessionStore>();
        await store.CreateAsync(NewRecord("carol"), 0, CancellationToken.None);

        Assert.IsType<MongoSessionStore>(store);
        Assert.Single(Documents());
    }

    [Fact]
    public async Task Through_the_session_manager_a_direct_delete_many_revokes_a_live_session_at_once()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSessionKit().AddMongoStore(fixture.ConnectionString, o => o.Collection = _collection);
        await using var provider = services.BuildServiceProvider();
        var manager = provider.GetRequiredService<SessionManager>();
        var created = await manager.CreateAsync(new SessionCreateRequest { Subject = "root" });
        Assert.True((await manager.ValidateAsync(created.Id)).IsValid);

        // Scenario A, step 5: the operator runs db.sessions.deleteMany({}).
        lock (fixture.Peer.Commands.Storage.Sync)
        {
            Documents().Clear();
        }

        Assert.False((await manager.ValidateAsync(created.Id)).IsValid);
    }

    [Theory]
    [InlineData("mongodb+srv://cluster.example.com/", "mongodb+srv")]
    [InlineData("mongodb://h/?w=0", "w=0")]
    [InlineData("mongodb://h/?compressors=zstd", "compressors")]
    [InlineData("http://h", "mongodb://")]
    public void Unusable_connection_strings_fail_options_validation_with_the_reason(string connectionString, string mentioned)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSessionKit().AddMongoStore(connectionString);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MongoSessionStoreOptions>>().Value);

        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_database_comes_from_the_connection_string_else_defaults_to_sessionkit()
    {
        Assert.Equal("app", MongoStoreSettings.From(new MongoSessionStoreOptions { ConnectionString = "mongodb://h/app" }).Database);
        Assert.Equal("sessionkit", MongoStoreSettings.From(new MongoSessionStoreOptions { ConnectionString = "mongodb://h" }).Database);
        Assert.Equal("x", MongoStoreSettings.From(new MongoSessionStoreOptions { ConnectionString = "mongodb://h/app", Database = "x" }).Database);
    }

    private List<BsonDocument> Documents() => fixture.Peer.Commands.Storage.Collection("app." + _collection);

    private MongoSessionStore NewStore() => new(
        MongoStoreSettings.From(new MongoSessionStoreOptions { ConnectionString = fixture.ConnectionString, Collection = _collection }),
        TimeProvider.System,
        NullLogger<MongoSessionStore>.Instance);

    private static SessionRecord NewRecord(string subject)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return new SessionRecord
        {
            Key = new SessionKey("Partitn1", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')),
            Subject = subject,
            CreatedAt = now,
            LastSeenAt = now,
            IdleExpiresAt = now.AddMinutes(30),
            AbsoluteExpiresAt = now.AddHours(8),
            Claims = [new SessionClaim("role", "admin")],
            Permissions = ["P"],
        };
    }
}
