namespace SessionKit;

/// <summary>
/// Time as SessionKit's policy sees it: the app's <see cref="TimeProvider"/> at millisecond precision (what every store
/// keeps, so a record reads back equal), and the expiry rule applied under the current options.
/// </summary>
internal sealed class SessionClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public DateTimeOffset Now()
    {
        var ticks = Time.GetUtcNow().UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    /// <summary>
    /// Whether a session has expired under the current options too: shortening a timeout takes effect on existing
    /// sessions at once instead of being frozen into records at creation.
    /// </summary>
    public static bool IsExpired(SessionRecord record, SessionKitOptions options, DateTimeOffset now)
        => record.IsExpiredAt(now)
           || now >= record.LastSeenAt + options.IdleTimeout
           || now >= record.CreatedAt + options.AbsoluteLifetime;

    public static DateTimeOffset EffectiveAbsoluteExpiry(SessionRecord record, SessionKitOptions options)
        => Min(record.AbsoluteExpiresAt, record.CreatedAt + options.AbsoluteLifetime);

    public static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
