namespace SessionKit.Redis;

/// <summary>
/// One message of the store's revocation channel: a session (or, for <see cref="RedisRevocationReason.All"/>, every
/// session) whose cached copies must be dropped. Carries the hashed store key only, never a session id.
/// </summary>
/// <param name="Reason">Why the session stopped being valid as cached.</param>
/// <param name="Key">The session's store key; <see langword="null"/> for <see cref="RedisRevocationReason.All"/>.</param>
internal readonly record struct RedisRevocation(RedisRevocationReason Reason, SessionKey? Key)
{
    private static readonly (RedisRevocationReason Reason, string Text)[] Names =
    [
        (RedisRevocationReason.Deleted, "deleted"),
        (RedisRevocationReason.Evicted, "evicted"),
        (RedisRevocationReason.SubjectDeleted, "subject"),
        (RedisRevocationReason.ClaimsUpdated, "claims"),
        (RedisRevocationReason.All, "all"),
    ];

    /// <summary>The wire form: <c>{reason}:{partition}.{hash}</c>, or <c>all</c>. The Lua scripts write the same shape.</summary>
    public string Format() => Key is { } key ? NameOf(Reason) + ":" + key.Partition + "." + key.Hash : NameOf(Reason);

    public static bool TryParse(string? message, out RedisRevocation revocation)
    {
        revocation = default;
        if (message is null)
        {
            return false;
        }

        var colon = message.IndexOf(':', StringComparison.Ordinal);
        var reasonText = colon < 0 ? message : message[..colon];
        foreach (var (reason, text) in Names)
        {
            if (!string.Equals(text, reasonText, StringComparison.Ordinal))
            {
                continue;
            }

            if (colon < 0)
            {
                revocation = new RedisRevocation(reason, null);
                return reason == RedisRevocationReason.All;
            }

            var dot = message.IndexOf('.', colon + 1);
            if (dot < 0)
            {
                return false;
            }

            revocation = new RedisRevocation(reason, new SessionKey(message[(colon + 1)..dot], message[(dot + 1)..]));
            return true;
        }

        return false;
    }

    private static string NameOf(RedisRevocationReason reason) => Array.Find(Names, n => n.Reason == reason).Text;
}
