namespace SessionKit;

/// <summary>Why a session ended before its expiry.</summary>
public enum SessionRevocationReason
{
    /// <summary>The user signed out of this session.</summary>
    Logout,

    /// <summary>The user signed out of all their sessions (or of all others).</summary>
    LogoutEverywhere,

    /// <summary>The session was replaced by a new id (sign-in or privilege change).</summary>
    Rotated,

    /// <summary>The subject reached <see cref="SessionKitOptions.MaxSessionsPerSubject"/> and this was the oldest session.</summary>
    Evicted,

    /// <summary>An operator or administrator revoked it.</summary>
    Administrative,
}
