namespace SessionKit;

/// <summary>
/// The session store could not answer in time: unreachable, failing over, or too slow for
/// <see cref="SessionKitOptions.StoreTimeout"/>. Authentication handlers turn it into <c>503 Service Unavailable</c>: a
/// request is never authenticated without the store. Stores throw it for infrastructure failures of their client only.
/// </summary>
public sealed class SessionStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionStoreUnavailableException()
        : base("The session store is unavailable.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public SessionStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed, naming the endpoint and the cause, never a secret.</param>
    /// <param name="innerException">The store client's own exception.</param>
    public SessionStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
