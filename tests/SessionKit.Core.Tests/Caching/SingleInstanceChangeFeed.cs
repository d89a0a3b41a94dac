namespace SessionKit.Core.Tests.Caching;

/// <summary>
/// The change feed of a deployment with one instance: nothing changes elsewhere, so it is always current and never
/// calls its subscribers. With it the cache serves from memory whenever it may.
/// </summary>
internal sealed class SingleInstanceChangeFeed : ISessionChangeFeed
{
    public bool IsCurrent => true;

    public int Subscribers { get; private set; }

    public IDisposable Subscribe(Action<SessionKey> changed, Action reset)
    {
        Subscribers++;
        return new Subscription(this);
    }

    private sealed class Subscription(SingleInstanceChangeFeed feed) : IDisposable
    {
        public void Dispose() => feed.Subscribers--;
    }
}
