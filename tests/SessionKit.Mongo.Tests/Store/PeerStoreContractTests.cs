using Microsoft.Extensions.Logging.Abstractions;
using SessionKit.Mongo.Tests.Peer;
using SessionKit.Testing;

namespace SessionKit.Mongo.Tests.Store;

/// <summary>The full store contract against the in-process wire peer: every store call goes through the real client, over TCP, as OP_MSG.</summary>
public sealed class PeerStoreContractTests(WirePeerFixture fixture) : SessionStoreContractTests, IClassFixture<WirePeerFixture>
{
    protected override Task<ISessionStore> CreateStoreAsync(TimeProvider time)
    {
        var options = new MongoSessionStoreOptions { ConnectionString = fixture.ConnectionString, Collection = "sessions_" + Guid.NewGuid().ToString("N") };
        return Task.FromResult<ISessionStore>(new MongoSessionStore(MongoStoreSettings.From(options), time, NullLogger<MongoSessionStore>.Instance));
    }
}
