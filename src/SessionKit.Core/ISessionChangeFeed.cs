namespace SessionKit;

/// <summary>
/// Session changes made on any app instance, for the local session cache (<see cref="SessionKitOptions.LocalCache"/>).
/// A store package that can broadcast changes registers one in the service container next to its store.
/// </summary>
/// <remarks>
/// The guarantee a feed gives, together with its store: when a revoking or claims-changing store call returns, every
/// subscriber on every instance has either been told about the change (<c>changed</c> was called and returned) or is no
/// longer <see cref="IsCurrent"/>. Subscribers serve cached sessions only while <see cref="IsCurrent"/> is
/// <see langword="true"/>.
/// </remarks>
public interface ISessionChangeFeed
{
    /// <summary>
    /// Whether subscribers may serve what they cached: the feed has proven recently enough that it receives every change.
    /// Read on every cache hit; must be cheap.
    /// </summary>
    bool IsCurrent { get; }

    /// <summary>Subscribes to changes.</summary>
    /// <param name="changed">Called with the key of a session that was deleted or changed on any instance.</param>
    /// <param name="reset">
    /// Called when subscribers must forget everything they cached: everything was deleted, or the feed may have missed
    /// changes — in particular before <see cref="IsCurrent"/> becomes <see langword="true"/> again after it was
    /// <see langword="false"/>.
    /// </param>
    /// <returns>Disposing it ends the subscription.</returns>
    IDisposable Subscribe(Action<SessionKey> changed, Action reset);
}
