namespace SessionKit;

/// <summary>
/// Implemented by stores that broadcast session changes to every app instance (the Redis store's revocation
/// channel). The local session cache subscribes to it so that a logout or permission change on one instance is
/// seen by all the others on their next request.
/// </summary>
public interface ISessionChangeFeed
{
    /// <summary>
    /// Subscribes to changes. Until the first <c>reset(true)</c>, subscribers must not trust anything they cache.
    /// </summary>
    /// <param name="changed">Called with the key of a session that was deleted or changed on any instance.</param>
    /// <param name="reset">
    /// Called whenever subscribers must forget everything they cached: with <see langword="true"/> when the feed is
    /// receiving (it just subscribed, it reconnected and may have missed messages, or everything was deleted); with
    /// <see langword="false"/> when it stopped receiving (a disconnect) — subscribers must then serve nothing from their
    /// cache until called with <see langword="true"/> again.
    /// </param>
    /// <returns>Disposing it ends the subscription.</returns>
    IDisposable Subscribe(Action<SessionKey> changed, Action<bool> reset);
}
