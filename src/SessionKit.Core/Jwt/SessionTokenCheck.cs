namespace SessionKit.Jwt;

/// <summary>The outcome of checking a bearer token, before or after the session lookup.</summary>
internal readonly struct SessionTokenCheck
{
    private SessionTokenCheck(SessionTokenRejection rejection, string? sessionId, string? subject, SessionRecord? session, Exception? parserFailure = null, DateTime expires = default, DateTime? notBefore = null)
    {
        Expires = expires;
        NotBefore = notBefore;
        Rejection = rejection;
        SessionId = sessionId;
        Subject = subject;
        Session = session;
        ParserFailure = parserFailure;
    }

    /// <summary>Why the token was refused; <see cref="SessionTokenRejection.None"/> when it passed.</summary>
    public SessionTokenRejection Rejection { get; }

    /// <summary>The token's <c>sid</c> once signature and claims passed.</summary>
    public string? SessionId { get; }

    /// <summary>The token's <c>sub</c> once signature and claims passed.</summary>
    public string? Subject { get; }

    /// <summary>The token's <c>exp</c> (UTC) once it passed.</summary>
    public DateTime Expires { get; }

    /// <summary>The token's <c>nbf</c> (UTC) once it passed, when it has one.</summary>
    public DateTime? NotBefore { get; }

    /// <summary>The live session, after a successful session lookup.</summary>
    public SessionRecord? Session { get; }

    /// <summary>What the token library threw, when a token made it throw (the token is then malformed).</summary>
    public Exception? ParserFailure { get; }

    public bool Passed => Rejection == SessionTokenRejection.None;

    public static SessionTokenCheck ParserThrew(Exception exception) => new(SessionTokenRejection.Malformed, null, null, null, exception);

    public static SessionTokenCheck Rejected(SessionTokenRejection rejection) => new(rejection, null, null, null);

    public static SessionTokenCheck TokenPassed(string sessionId, string subject, DateTime expires, DateTime? notBefore)
        => new(SessionTokenRejection.None, sessionId, subject, null, null, expires, notBefore);

    public SessionTokenCheck WithSession(SessionRecord session) => new(SessionTokenRejection.None, SessionId, Subject, session, null, Expires, NotBefore);
}
