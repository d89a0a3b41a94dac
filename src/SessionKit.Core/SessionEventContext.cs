namespace SessionKit;

/// <summary>What a <see cref="SessionEvents"/> callback is told. Never holds a raw session id.</summary>
/// <param name="Key">The store key of the session concerned.</param>
/// <param name="Subject">The session's subject, when known.</param>
/// <param name="Session">The session record, when the event has one (not for revocations by key).</param>
/// <param name="Reason">For revocations, why.</param>
public sealed record SessionEventContext(SessionKey Key, string? Subject, SessionRecord? Session, SessionRevocationReason? Reason = null);
