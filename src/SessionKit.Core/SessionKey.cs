namespace SessionKit;

/// <summary>
/// The store-side key of a session: never the session id itself, only its SHA-256 hash, plus a short random
/// partition that stores such as Redis Cluster use to keep a subject's keys together.
/// </summary>
/// <remarks>
/// A leaked store therefore yields no usable session ids, and neither part says anything about the subject. Stores
/// treat both parts as opaque ASCII strings (base64url alphabet) and must answer "not found" for any key they never
/// stored. The text form (<see cref="ToString"/>) is safe to show to the session's owner and to operators: it cannot be
/// turned back into a session id.
/// </remarks>
/// <param name="Partition">8 base64url characters.</param>
/// <param name="Hash">The base64url SHA-256 hash of the session id's secret part (43 characters).</param>
public readonly record struct SessionKey(string Partition, string Hash)
{
    /// <summary>Whether the key has the exact shape of the keys SessionKit issues (8 + 43 base64url characters).</summary>
    public bool IsWellFormed => SessionIds.IsWellFormed(this);

    /// <inheritdoc />
    public override string ToString() => Partition + "." + Hash;

    /// <summary>Parses the text form <c>{partition}.{hash}</c> produced by <see cref="ToString"/>.</summary>
    /// <param name="text">The text form.</param>
    /// <param name="key">The key, when well-formed.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a well-formed key.</returns>
    public static bool TryParse(string? text, out SessionKey key)
    {
        key = default;
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot < 0)
        {
            return false;
        }

        var candidate = new SessionKey(text![..dot], text[(dot + 1)..]);
        if (!candidate.IsWellFormed)
        {
            return false;
        }

        key = candidate;
        return true;
    }
}
