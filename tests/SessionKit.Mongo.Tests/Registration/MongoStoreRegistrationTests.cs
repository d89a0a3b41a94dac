using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using SessionKit.Mongo.Tests.Peer;
using SessionKit.Testing.Mongo;

namespace SessionKit.Mongo.Tests.Registration;

/// <summary>How an app registers the store: on its own client (as Aspire's AddMongoDBClient registers it) or on a connection string.</summary>
public sealed class MongoStoreRegistrationTests(WirePeerFixture fixture) : IClassFixture<WirePeerFixture>
{
    // These tests are about which client and database the store uses, not about time: their first store call (a cold
    // client's server discovery, the store's indexes) gets far more than the 2 s default, which a loaded machine can take.
    private static readonly Action<SessionKitOptions> Patient = o => o.StoreTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Without_a_connection_string_the_store_uses_the_apps_singleton_client_and_never_disposes_it()
    {
        using var appClient = new MongoClient(fixture.ConnectionString);
        var services = new ServiceCollection().AddLogging();
        // What Aspire's AddMongoDBClient("mongo") registers: a singleton IMongoClient (and an IMongoDatabase when the
        // connection string names a database — see the next test).
        services.AddSingleton<IMongoClient>(appClient);
        var collection = "reg_" + Guid.NewGuid().ToString("N")[..8];
        services.AddSessionKit(Patient).AddMongoStore(o => o.CollectionName = collection);

        await using (var provider = services.BuildServiceProvider())
        {
            var manager = provider.GetRequiredService<SessionManager>();
            var created = await manager.CreateAsync(new SessionCreateRequest { Subject = "aspire-user", Scheme = "S" });
            Assert.True((await manager.ValidateAsync(created.Id, "S")).IsValid);
        }

        // The app's client still works after SessionKit's container is gone; the sessions are in database "sessionkit".
        var stored = await appClient.GetDatabase(MongoSessionStoreOptions.DefaultDatabaseName).GetCollection<BsonDocument>(collection).Find(new BsonDocument()).ToListAsync();
        Assert.Equal("aspire-user", Assert.Single(stored)["sub"].AsString);
    }

    [Fact]
    public async Task A_registered_database_is_used_unless_the_options_name_another()
    {
        var collection = "reg_" + Guid.NewGuid().ToString("N")[..8];
        foreach (var (databaseOption, expected) in new[] { ((string?)null, "aspire_db"), ("named_db", "named_db") })
        {
            var services = new ServiceCollection().AddLogging();
            services.AddSingleton<IMongoClient>(fixture.Client);
            services.AddSingleton(sp => sp.GetRequiredService<IMongoClient>().GetDatabase("aspire_db"));
            services.AddSessionKit(Patient).AddMongoStore(o =>
            {
                o.CollectionName = collection;
                o.DatabaseName = databaseOption;
            });
            await using var provider = services.BuildServiceProvider();

            await provider.GetRequiredService<SessionManager>().CreateAsync(new SessionCreateRequest { Subject = "db-" + expected });

            var stored = await fixture.Client.GetDatabase(expected).GetCollection<BsonDocument>(collection).Find(new BsonDocument("sub", "db-" + expected)).ToListAsync();
            Assert.Single(stored);
        }
    }

    [Fact]
    public async Task Start_up_fails_with_instructions_when_no_client_is_registered()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSessionKit().AddMongoStore();
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("IMongoClient", failure.Message, StringComparison.Ordinal);
        Assert.Contains("AddMongoStore(connectionString)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_connection_string_sessionkit_creates_the_client_and_disposes_it_with_the_container()
    {
        var collection = "reg_" + Guid.NewGuid().ToString("N")[..8];
        var services = new ServiceCollection().AddLogging();
        services.AddSessionKit(Patient).AddMongoStore(fixture.Peer.ConnectionString("from_string"), o => o.CollectionName = collection);
        MongoClientSource source;
        await using (var provider = services.BuildServiceProvider())
        {
            Assert.IsType<MongoSessionStore>(provider.GetRequiredService<ISessionStore>());
            await provider.GetRequiredService<SessionManager>().CreateAsync(new SessionCreateRequest { Subject = "from-string" });
            source = provider.GetRequiredService<MongoClientSource>();
        }

        Assert.Single(await fixture.Client.GetDatabase("from_string").GetCollection<BsonDocument>(collection).Find(new BsonDocument()).ToListAsync());
        Assert.Throws<ObjectDisposedException>(() => source.GetDatabase(new MongoSessionStoreOptions(), TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData("http://user:hunter2@db.example/app", "not valid")]
    [InlineData("mongodb://db.example:99999/app", "not valid")]
    [InlineData("mongodb://db.example/app?connectTimeoutMS=soon", "connectTimeoutMS")]
    public void A_connection_string_the_driver_refuses_fails_at_registration_with_the_drivers_message_and_no_password(string connectionString, string mentioned)
    {
        var services = new ServiceCollection();

        var failure = Assert.Throws<ArgumentException>(() => services.AddSessionKit().AddMongoStore(connectionString));

        Assert.Equal("connectionString", failure.ParamName);
        Assert.IsType<MongoConfigurationException>(failure.InnerException);
        Assert.Contains(mentioned, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_sessionkit_creates_gets_the_store_timeout_for_the_timeouts_the_string_leaves_at_their_defaults_and_the_app_hook_runs_last()
    {
        var storeTimeout = TimeSpan.FromSeconds(2);
        var url = MongoUrl.Create("mongodb://db.example/app?socketTimeoutMS=7000");
        var hooked = false;

        var settings = MongoClientSource.CreateSettings(url, storeTimeout, s =>
        {
            hooked = true;
            Assert.Equal(storeTimeout, s.ServerSelectionTimeout);
        });

        Assert.True(hooked);
        Assert.Equal(storeTimeout, settings.ServerSelectionTimeout);
        Assert.Equal(storeTimeout, settings.ConnectTimeout);
        // An explicit setting in the connection string is kept.
        Assert.Equal(TimeSpan.FromSeconds(7), settings.SocketTimeout);
        Assert.Equal("SessionKit", settings.ApplicationName);
    }

    [Fact]
    public async Task The_local_cache_is_refused_at_start_up_with_the_mongo_store_which_has_no_change_feed()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSessionKit(o => o.LocalCache.Enabled = true).AddMongoStore(fixture.ConnectionString);
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("LocalCache", failure.Message, StringComparison.Ordinal);
        Assert.Contains("MongoDB store has no change feed", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "session_subjects")]
    [InlineData("with$dollar", "session_subjects")]
    [InlineData("same", "same")]
    public void Unusable_collection_names_fail_options_validation_with_the_fix(string collection, string subjects)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSessionKit().AddMongoStore(fixture.ConnectionString, o =>
        {
            o.CollectionName = collection;
            o.SubjectCollectionName = subjects;
        });
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MongoSessionStoreOptions>>().Value);

        Assert.Contains("CollectionName", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_session_over_jwt_shortcut_registers_the_mongo_store()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAuthentication().AddMongoSessionOverJwt(fixture.ConnectionString, o =>
        {
            o.Issuer = "https://issuer.example";
            o.Audience = "api";
            o.SigningKeys.Add(new SessionKit.Jwt.SessionOverJwtSigningKey(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[32]) { KeyId = "k" }, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256));
        });
        using var provider = services.BuildServiceProvider();

        Assert.IsType<MongoSessionStore>(provider.GetRequiredService<ISessionStore>());
    }
}
