namespace SessionKit.Mongo.Tests.Peer;

/// <summary>One peer per test class, acting as the primary of a one-member replica set "rs0" (so sessions and retryable writes are in play).</summary>
public sealed class WirePeerFixture : IAsyncLifetime
{
    internal WirePeer Peer { get; private set; } = null!;

    public string ConnectionString => $"mongodb://{Peer.Address}/app?replicaSet=rs0&connectTimeoutMS=5000&socketTimeoutMS=10000&serverSelectionTimeoutMS=5000";

    public ValueTask InitializeAsync()
    {
        Peer = new WirePeer().AsReplicaSetPrimary();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await Peer.DisposeAsync();
}
