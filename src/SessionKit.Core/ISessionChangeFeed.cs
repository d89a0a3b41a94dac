namespace SessionKit;

/// <summary>
/// Implemented by stores that broadcast session changes to every app instance (the Redis store's revocation
/// channel). The local session cache subscribes to it so that a logout or permission change on one instance is
/// seen by all the others on their next request.
/// </summary>
public interface ISessionChangeFeed
{
    /// <summary>Subscribes to changes.</summary>
    /// <param name="changed">Called with the key of a session that was deleted or changed on any instance.</param>
    /// <param name="reset">
    /// Called when changes may have been missed (the feed disconnected or reconnected, or everything was deleted):
    /// subscribers must then forget everything they cached.
    /// </param>
    /// <returns>Disposing it ends the subscription.</returns>
    IDisposable Subscribe(Action<SessionKey> changed, Action reset);
}
