using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionKit.Authentication;
using SessionKit.Diagnostics;

namespace SessionKit.Jwt;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> requests whose token points to a live session: token checks first
/// (no store call for a bad token), then the session, from which the principal is built.
/// </summary>
internal sealed class SessionOverJwtHandler(
    IOptionsMonitor<SessionOverJwtOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SessionManager sessions,
    SessionKitMetrics metrics)
    : AuthenticationHandler<SessionOverJwtOptions>(options, loggerFactory, encoder)
{
    private const string BearerScheme = "Bearer";
    private const string BearerPrefix = BearerScheme + " ";

    // Failure results are shared, as ASP.NET Core's own handlers do: their messages never contain the token.
    private static readonly AuthenticateResult InvalidToken = AuthenticateResult.Fail("The bearer token is invalid.");
    private static readonly AuthenticateResult SessionEnded = AuthenticateResult.Fail("The bearer token's session has ended.");

    // Metric tags per rejection reason, built once ("token_signature", "token_lifetime", …).
    private static readonly string[] RejectionTags = [.. Enum.GetNames<SessionTokenRejection>().Select(n => "token_" + n.ToLowerInvariant())];

    private new SessionOverJwtEvents Events
    {
        get => (SessionOverJwtEvents)base.Events!;
        set => base.Events = value;
    }

    /// <inheritdoc />
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new SessionOverJwtEvents());

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var received = new SessionOverJwtMessageReceivedContext(Context, Scheme, Options);
        await Events.MessageReceived(received).ConfigureAwait(false);
        if (received.Result is not null)
        {
            return received.Result;
        }

        var token = received.Token;
        if (string.IsNullOrEmpty(token))
        {
            var read = ReadToken(out token);
            if (read is not null)
            {
                return read;
            }
        }

        var validator = Options.Validator ?? throw new InvalidOperationException("SessionOverJwtOptions were not post-configured; register the scheme with AddSessionOverJwt().");
        SessionTokenCheck check;
        try
        {
            check = await validator.ValidateSessionAsync(token!, sessions, Scheme.Name, Context.RequestAborted).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException ex)
        {
            // Fail closed: never authenticated without the store; the challenge answers 503 for this failure.
            return AuthenticateResult.Fail(ex);
        }

        if (!check.Passed)
        {
            if (check.ParserFailure is { } failure)
            {
                Logger.TokenCheckFailed(failure.GetType().Name);
            }

            return Reject(check.Rejection);
        }

        var session = check.Session!;
        Context.SetSession(session, sessions);
        var validated = new SessionOverJwtTokenValidatedContext(Context, Scheme, Options, session, SessionPrincipalFactory.Create(session, Scheme.Name));
        await Events.TokenValidated(validated).ConfigureAwait(false);
        if (validated.Result is null)
        {
            validated.Success();
        }

        if (!validated.Result!.Succeeded && ReferenceEquals(Context.Features.Get<SessionFeature>()?.Session, session))
        {
            // The app refused the request: the session must not be reachable through the request's features either.
            Context.Features.Set<SessionFeature>(null);
        }

        return validated.Result;
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var challenge = new SessionOverJwtChallengeContext(Context, Scheme, Options, properties, result.Failure);
        await Events.Challenge(challenge).ConfigureAwait(false);
        if (challenge.Handled)
        {
            return;
        }

        if (result.Failure is SessionStoreUnavailableException)
        {
            // 503 rather than 401 so that clients keep their token and retry.
            await ProblemResponses.WriteStoreUnavailableAsync(Response).ConfigureAwait(false);
            return;
        }

        // RFC 6750 §3: no error code when the request carried no token; invalid_token for every bad one.
        // No error_description: the reason is logged, not told to whoever sent the token.
        var failed = result.Failure is not null;
        Response.Headers.WWWAuthenticate = failed ? "Bearer error=\"invalid_token\"" : "Bearer";
        await ProblemResponses.WriteUnauthorizedAsync(Response, failed
            ? "The bearer token is invalid, expired or its session has ended. Sign in again."
            : "This resource requires an Authorization: Bearer token.").ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Events.Forbidden(new SessionOverJwtForbiddenContext(Context, Scheme, Options)).ConfigureAwait(false);
        if (!Response.HasStarted)
        {
            await ProblemResponses.WriteForbiddenAsync(Response, "The session does not grant the permission this resource requires.").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Finds the request's token: the <c>Authorization</c> header, else (on a configured path) the query-string token.
    /// Returns the result to answer with when there is no token to check.
    /// </summary>
    private AuthenticateResult? ReadToken(out string? token)
    {
        token = null;

        // Never a cookie, and the query string only where the app opted in: both leak into logs and invite CSRF.
        var authorization = Request.Headers.Authorization;
        if (authorization.Count == 0)
        {
            if (Options.QueryStringTokenPaths.Count > 0
                && Context.Features.Get<QueryStringTokenFeature>() is { } query
                && QueryStringTokenHttpContextFactory.IsTokenPath(Options.QueryStringTokenPaths, Request.PathBase + Request.Path))
            {
                // Two access_token parameters: ambiguous, so refused rather than guessing which one counts.
                token = query.Token;
                return query.Count == 1 && token.Length > 0 ? null : Reject(SessionTokenRejection.Malformed);
            }

            return AuthenticateResult.NoResult();
        }

        if (authorization.Count > 1)
        {
            // Several Authorization headers: ambiguous, so refused rather than guessing which one counts.
            return Reject(SessionTokenRejection.Malformed);
        }

        var value = authorization[0] ?? string.Empty;
        if (value.Equals(BearerScheme, StringComparison.OrdinalIgnoreCase))
        {
            // "Bearer" with the token missing (servers trim the trailing space): a bad bearer credential.
            return Reject(SessionTokenRejection.Malformed);
        }

        if (!value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // Another scheme's credentials: not ours to judge.
            return AuthenticateResult.NoResult();
        }

        token = value.AsSpan(BearerPrefix.Length).Trim().ToString();
        return null;
    }

    private AuthenticateResult Reject(SessionTokenRejection rejection)
    {
        Logger.TokenRejected(Scheme.Name, rejection);
        if (rejection is not (SessionTokenRejection.MalformedSessionId or SessionTokenRejection.SessionNotFound or SessionTokenRejection.SessionExpired))
        {
            // Session-level refusals are already counted by the session manager.
            metrics.Rejected(RejectionTags[(int)rejection]);
        }

        return rejection is SessionTokenRejection.SessionNotFound or SessionTokenRejection.SessionExpired ? SessionEnded : InvalidToken;
    }
}
