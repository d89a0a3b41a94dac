namespace SessionKit;

/// <summary>What <see cref="ISessionStore.CreateAsync"/> stored.</summary>
/// <param name="Session">
/// The record as stored: its <see cref="SessionRecord.Key"/> (the store may have chosen the partition) and its claims
/// (the store may have put newer claims of the subject in) are the ones that count.
/// </param>
/// <param name="Evicted">The keys of the sessions evicted to respect the per-subject maximum (empty when none).</param>
public sealed record SessionCreateResult(SessionRecord Session, IReadOnlyList<SessionKey> Evicted);
