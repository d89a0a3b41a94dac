using SessionKit.Mongo.Tests.Peer;
using SessionKit.Testing;
using SessionKit.Testing.Mongo;

namespace SessionKit.Mongo.Tests.Store;

/// <summary>The full store contract through the official driver, over loopback TCP, against the in-process wire peer (a replica-set primary).</summary>
public sealed class PeerStoreContractTests(WirePeerFixture fixture) : SessionStoreContractTests, IClassFixture<WirePeerFixture>
{
    protected override Task<ISessionStore> CreateStoreAsync(TimeProvider time)
        => Task.FromResult<ISessionStore>(fixture.NewStore(time, out _));
}
