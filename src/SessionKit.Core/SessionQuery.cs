namespace SessionKit;

/// <summary>A filter and a page position for <see cref="ISessionStore.QueryAsync"/>.</summary>
public sealed record SessionQuery
{
    /// <summary>The most <see cref="PageSize"/> may be.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Only this subject's sessions (read through the subject index), or <see langword="null"/> for all.</summary>
    public string? Subject { get; init; }

    /// <summary>Only sessions created at or after this time, or <see langword="null"/>.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only sessions created before this time, or <see langword="null"/>.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Only sessions last seen at or after this time, or <see langword="null"/>.</summary>
    public DateTimeOffset? LastSeenFrom { get; init; }

    /// <summary>Only sessions last seen before this time, or <see langword="null"/>.</summary>
    public DateTimeOffset? LastSeenBefore { get; init; }

    /// <summary>
    /// How many sessions a page should hold: between 1 and <see cref="MaxPageSize"/>. A store that pages with a server
    /// cursor (Redis <c>SCAN</c>) treats it as a hint. Defaults to 100.
    /// </summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The <see cref="SessionQueryPage.ContinuationToken"/> of the previous page, or <see langword="null"/> for the first.</summary>
    public string? ContinuationToken { get; init; }

    /// <summary>Whether <paramref name="session"/> passes the time filters (stores that filter after reading use it).</summary>
    /// <param name="session">A session.</param>
    /// <returns><see langword="true"/> when the session passes every time filter.</returns>
    public bool Matches(SessionRecord session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return (Subject is null || string.Equals(session.Subject, Subject, StringComparison.Ordinal))
            && (CreatedFrom is not { } createdFrom || session.CreatedAt >= createdFrom)
            && (CreatedBefore is not { } createdBefore || session.CreatedAt < createdBefore)
            && (LastSeenFrom is not { } lastSeenFrom || session.LastSeenAt >= lastSeenFrom)
            && (LastSeenBefore is not { } lastSeenBefore || session.LastSeenAt < lastSeenBefore);
    }
}
