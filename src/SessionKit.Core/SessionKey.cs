namespace SessionKit;

/// <summary>
/// The store-side key of a session: never the session id itself, only its SHA-256 hash, plus a short
/// partition derived from the subject so that stores such as Redis Cluster can keep a subject's keys together.
/// </summary>
/// <remarks>
/// A leaked store therefore yields no usable session ids. Stores treat both parts as opaque ASCII strings
/// (base64url alphabet) and must answer "not found" for any key they never stored.
/// </remarks>
/// <param name="Partition">A short base64url tag derived from the subject (same for all of a subject's sessions).</param>
/// <param name="Hash">The base64url SHA-256 hash of the session id's secret part.</param>
public readonly record struct SessionKey(string Partition, string Hash)
{
    /// <inheritdoc />
    public override string ToString() => Partition + "." + Hash;
}
