namespace SessionKit;

/// <summary>The outcome of <see cref="SessionManager.ValidateAsync"/>.</summary>
public readonly record struct SessionValidationResult
{
    private SessionValidationResult(SessionValidationStatus status, SessionRecord? session)
    {
        Status = status;
        Session = session;
    }

    /// <summary>Whether the session is valid, and if not why.</summary>
    public SessionValidationStatus Status { get; }

    /// <summary>The live session when <see cref="Status"/> is <see cref="SessionValidationStatus.Valid"/>.</summary>
    public SessionRecord? Session { get; }

    /// <summary>Whether the session is valid.</summary>
    public bool IsValid => Status == SessionValidationStatus.Valid;

    internal static SessionValidationResult Valid(SessionRecord session) => new(SessionValidationStatus.Valid, session);

    internal static SessionValidationResult Malformed { get; } = new(SessionValidationStatus.Malformed, null);

    internal static SessionValidationResult NotFound { get; } = new(SessionValidationStatus.NotFound, null);

    internal static SessionValidationResult Expired { get; } = new(SessionValidationStatus.Expired, null);
}
