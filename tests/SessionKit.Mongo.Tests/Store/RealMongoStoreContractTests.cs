using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Driver;
using SessionKit.Testing;

namespace SessionKit.Mongo.Tests.Store;

/// <summary>
/// The full store contract against the real MongoDB named by the <c>SESSIONKIT_MONGO_URI</c> environment variable, read
/// when the tests run; when it is not set, every test here is reported as skipped (never as passed). Each test uses
/// collections of its own, in the URI's database or <c>sessionkit_tests</c>.
/// </summary>
public sealed class RealMongoStoreContractTests : SessionStoreContractTests
{
    internal const string UriVariable = "SESSIONKIT_MONGO_URI";
    private MongoClient? _client;

    protected override Task<ISessionStore> CreateStoreAsync(TimeProvider time)
    {
        var uri = Environment.GetEnvironmentVariable(UriVariable);
        if (string.IsNullOrEmpty(uri))
        {
            Assert.Skip(UriVariable + " is not set: set it to a MongoDB connection string to run the store contract against a real server.");
        }

        var url = MongoUrl.Create(uri);
        _client = new MongoClient(url);
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var options = new MongoSessionStoreOptions { CollectionName = "sessions_" + suffix, SubjectCollectionName = "subjects_" + suffix };
        var database = _client.GetDatabase(url.DatabaseName ?? "sessionkit_tests");
        return Task.FromResult<ISessionStore>(new MongoSessionStore(database, options, time, NullLogger<MongoSessionStore>.Instance));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _client?.Dispose();
    }
}

/// <summary>Says, in the test output, whether the real-MongoDB contract run is part of this run.</summary>
public sealed class RealMongoAvailabilityTests(ITestOutputHelper output)
{
    [Fact]
    public void Real_mongodb_contract_run_is_reported()
    {
        var message = string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RealMongoStoreContractTests.UriVariable))
            ? "SESSIONKIT_MONGO_URI is not set: RealMongoStoreContractTests are reported as skipped, and the store contract runs against the in-process wire peer only."
            : "SESSIONKIT_MONGO_URI is set: RealMongoStoreContractTests run the full store contract against that server.";
        output.WriteLine(message);
        Console.WriteLine(message);
    }
}
