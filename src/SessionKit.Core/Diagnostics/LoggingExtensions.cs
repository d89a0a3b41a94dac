using Microsoft.Extensions.Logging;

namespace SessionKit.Diagnostics;

/// <summary>
/// Every log message of SessionKit.Core. None takes a session id, token or cookie value: sessions are referred
/// to by <see cref="SessionRef"/>, a short prefix of the already-hashed store key.
/// </summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(1, LogLevel.Debug, "Session {SessionRef} created.", EventName = "SessionCreated")]
    public static partial void SessionCreated(this ILogger logger, string sessionRef);

    [LoggerMessage(2, LogLevel.Debug, "Session {SessionRef} rejected: {Reason}.", EventName = "SessionRejected")]
    public static partial void SessionRejected(this ILogger logger, string sessionRef, SessionValidationStatus reason);

    [LoggerMessage(3, LogLevel.Debug, "Session {SessionRef} revoked: {Reason}.", EventName = "SessionRevoked")]
    public static partial void SessionRevoked(this ILogger logger, string sessionRef, SessionRevocationReason reason);

    [LoggerMessage(4, LogLevel.Information, "{Count} sessions of one subject revoked: {Reason}.", EventName = "SubjectSessionsRevoked")]
    public static partial void SubjectSessionsRevoked(this ILogger logger, int count, SessionRevocationReason reason);

    [LoggerMessage(5, LogLevel.Warning, "All sessions revoked ({Count}): {Reason}.", EventName = "AllSessionsRevoked")]
    public static partial void AllSessionsRevoked(this ILogger logger, long count, SessionRevocationReason reason);

    [LoggerMessage(6, LogLevel.Debug, "Session {SessionRef} rotated to {NewSessionRef}.", EventName = "SessionRotated")]
    public static partial void SessionRotated(this ILogger logger, string sessionRef, string newSessionRef);

    [LoggerMessage(7, LogLevel.Warning, "Session store call {Operation} failed; failing closed.", EventName = "StoreUnavailable")]
    public static partial void StoreUnavailable(this ILogger logger, string operation, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "Session store call {Operation} did not answer within {TimeoutMs} ms; failing closed.", EventName = "StoreTimedOut")]
    public static partial void StoreTimedOut(this ILogger logger, string operation, long timeoutMs);

    [LoggerMessage(8, LogLevel.Debug, "Session {SessionRef} expired under the current policy.", EventName = "SessionExpired")]
    public static partial void SessionExpired(this ILogger logger, string sessionRef);

    [LoggerMessage(9, LogLevel.Debug, "Claims of one subject updated to version {Version} (applied: {Applied}); {Count} sessions took them.", EventName = "SubjectClaimsUpdated")]
    public static partial void SubjectClaimsUpdated(this ILogger logger, long version, bool applied, int count);

    [LoggerMessage(20, LogLevel.Debug, "Bearer token refused by scheme {Scheme}: {Reason}.", EventName = "TokenRejected")]
    public static partial void TokenRejected(this ILogger logger, string scheme, SessionKit.Jwt.SessionTokenRejection reason);

    [LoggerMessage(21, LogLevel.Debug, "Bearer token check threw {ExceptionType}; the token is refused.", EventName = "TokenCheckFailed")]
    public static partial void TokenCheckFailed(this ILogger logger, string exceptionType);

    [LoggerMessage(22, LogLevel.Debug, "Session token issued for session {SessionRef} with key {KeyId}.", EventName = "TokenIssued")]
    public static partial void TokenIssued(this ILogger logger, string sessionRef, string? keyId);

    [LoggerMessage(23, LogLevel.Debug, "Session cookie refused by scheme {Scheme}: {Reason}.", EventName = "CookieRejected")]
    public static partial void CookieRejected(this ILogger logger, string scheme, string reason);

    /// <summary>A log-safe reference to a session: 8 characters of its hashed key, useless as a credential.</summary>
    public static string SessionRef(SessionKey key) => key.Hash.Length >= 8 ? key.Hash[..8] : key.Hash;
}
