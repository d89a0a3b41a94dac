namespace SessionKit;

/// <summary>
/// A change to a session's data would make it larger than <see cref="SessionKitOptions.MaxDataBytes"/>. Nothing was
/// saved. Thrown where the change is made (or at the save, when concurrent requests together went over the limit).
/// </summary>
public sealed class SessionDataTooLargeException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public SessionDataTooLargeException()
        : base("The session's data would exceed its size limit.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was too large.</param>
    public SessionDataTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was too large.</param>
    /// <param name="innerException">The cause.</param>
    public SessionDataTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a data map of <paramref name="size"/> bytes against <paramref name="limit"/>.</summary>
    /// <param name="size">The size the data would have, in bytes.</param>
    /// <param name="limit">The limit, in bytes.</param>
    public SessionDataTooLargeException(long size, long limit)
        : base($"The session's data would be {size} bytes, over its limit of {limit} bytes (SessionKitOptions.MaxDataBytes). Nothing was saved.")
    {
        Size = size;
        Limit = limit;
    }

    /// <summary>The size the data would have had, in bytes (0 when not known).</summary>
    public long Size { get; }

    /// <summary>The limit, in bytes (0 when not known).</summary>
    public long Limit { get; }
}
