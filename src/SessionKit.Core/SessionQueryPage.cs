namespace SessionKit;

/// <summary>One page of <see cref="ISessionStore.QueryAsync"/>.</summary>
/// <param name="Sessions">The live sessions of this page that pass the filter.</param>
/// <param name="ContinuationToken">
/// Pass it in <see cref="SessionQuery.ContinuationToken"/> for the next page; <see langword="null"/> when there is none.
/// A page may be empty while the token is not <see langword="null"/>.
/// </param>
public sealed record SessionQueryPage(IReadOnlyList<SessionRecord> Sessions, string? ContinuationToken);
