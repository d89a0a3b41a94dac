namespace SessionKit;

/// <summary>What <see cref="ISessionStore.UpdateSubjectClaimsAsync"/> did.</summary>
/// <param name="Applied">
/// <see langword="false"/> when the store already held claims of the same or a newer version for the subject: nothing
/// was changed.
/// </param>
/// <param name="Version">The subject's claims version in the store after the call.</param>
/// <param name="Updated">The keys of the live sessions that took the new claims.</param>
public sealed record SubjectClaimsUpdateResult(bool Applied, long Version, IReadOnlyList<SessionKey> Updated);
