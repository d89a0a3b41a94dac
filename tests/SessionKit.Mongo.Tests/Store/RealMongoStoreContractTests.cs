using Microsoft.Extensions.Logging.Abstractions;
using SessionKit.StoreContract;
using Xunit.Abstractions;

namespace SessionKit.Mongo.Tests.Store;

#if REAL_MONGO
/// <summary>
/// The full store contract against a real MongoDB. Compiled only when <c>SESSIONKIT_MONGO_URI</c> is set at build time
/// (the project defines REAL_MONGO then), because inherited xunit facts cannot skip themselves at run time. Each test
/// uses its own collection, in the URI's database or <c>sessionkit_tests</c>.
/// </summary>
public sealed class RealMongoStoreContractTests : SessionStoreContractTests
{
    protected override Task<ISessionStore> CreateStoreAsync(TimeProvider time)
    {
        var uri = Environment.GetEnvironmentVariable("SESSIONKIT_MONGO_URI")
            ?? throw new InvalidOperationException("SESSIONKIT_MONGO_URI was set at build time but is not set now.");
        var options = new MongoSessionStoreOptions { ConnectionString = uri, Collection = "sessions_" + Guid.NewGuid().ToString("N") };
        var settings = MongoStoreSettings.From(options);
        if (settings.Connection.Database is null)
        {
            settings = settings with { Database = "sessionkit_tests" };
        }

        return Task.FromResult<ISessionStore>(new MongoSessionStore(settings, time, NullLogger<MongoSessionStore>.Instance));
    }
}
#endif

/// <summary>Says, in the test output, whether the real-MongoDB contract run is part of this build.</summary>
public sealed class RealMongoAvailabilityTests(ITestOutputHelper output)
{
    [Fact]
    public void Real_mongodb_contract_run_is_reported()
    {
#if REAL_MONGO
        const string message = "SESSIONKIT_MONGO_URI is set: RealMongoStoreContractTests run the full store contract against that server.";
#else
        const string message = "SKIPPED: SESSIONKIT_MONGO_URI is not set, so the store contract runs against the in-process wire peer only (set it and rebuild to run it against a real MongoDB).";
#endif
        output.WriteLine(message);
        Console.WriteLine(message);
    }
}
