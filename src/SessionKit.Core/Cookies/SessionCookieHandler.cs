using System.Runtime.ExceptionServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionKit.Authentication;
using SessionKit.Diagnostics;

namespace SessionKit.Cookies;

/// <summary>
/// The cookie scheme: the cookie holds only an opaque session id; every request loads the session from the store
/// through the <see cref="SessionManager"/>. <c>SignInAsync</c> always issues a new id (no fixation) and revokes the
/// one the client held; <c>SignOutAsync</c> revokes the session and expires the cookie.
/// </summary>
internal sealed class SessionCookieHandler(
    IOptionsMonitor<SessionCookieOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SessionManager sessions,
    SessionKitMetrics metrics)
    : SignInAuthenticationHandler<SessionCookieOptions>(options, logger, encoder)
{
    private const string DuplicateReason = "cookie_duplicate";
    private const string CrossOriginReason = "cross_origin";

    private CookieLookup? _cookie;

    // The session this scheme authenticated the request with. Not read back from the request's features: another
    // SessionKit scheme may have put its own session there since.
    private SessionRecord? _session;

    private new SessionCookieEvents Events
    {
        get => (SessionCookieEvents)base.Events!;
        set => base.Events = value;
    }

    // Read once per request: authentication, sign-in and sign-out all look at the same header.
    private CookieLookup Cookie => _cookie ??= SessionCookieReader.Find(Request.Headers.Cookie, Options.Cookie.Name!);

    /// <inheritdoc />
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new SessionCookieEvents());

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var cookie = Cookie;
        if (cookie.IsDuplicate)
        {
            // Two cookies of one name: one may have been planted; choosing either would let it swap or lock out the other.
            return Refuse(DuplicateReason, AuthenticateResults.DuplicateCookie);
        }

        if (string.IsNullOrEmpty(cookie.Value))
        {
            return AuthenticateResult.NoResult();
        }

        if (!RequestOrigins.IsAllowed(Request, Options))
        {
            return Refuse(CrossOriginReason, AuthenticateResults.CrossOriginRequest);
        }

        SessionValidationResult result;
        try
        {
            result = await sessions.ValidateAsync(cookie.Value, Scheme.Name, Context.RequestAborted).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException ex)
        {
            // Fail closed: never authenticated without the store; the challenge answers 503 for this failure.
            return AuthenticateResult.Fail(ex);
        }

        if (result.Session is not { } session)
        {
            return AuthenticateResults.InvalidSession;
        }

        var validating = new SessionCookieValidatePrincipalContext(Context, Scheme, Options, session, SessionPrincipalFactory.Create(session, Scheme.Name));
        await Events.ValidatePrincipal(validating).ConfigureAwait(false);
        if (validating.Principal is not { } principal)
        {
            return AuthenticateResults.PrincipalRejected;
        }

        _session = session;
        Context.SetSession(session, sessions);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, validating.Properties, Scheme.Name));
    }

    /// <inheritdoc />
    protected override async Task HandleSignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties)
    {
        ArgumentNullException.ThrowIfNull(user);
        var signingIn = new SessionCookieSigningInContext(Context, Scheme, Options, user, properties, Options.Cookie.Build(Context));
        await Events.SigningIn(signingIn).ConfigureAwait(false);
        var principal = signingIn.Principal ?? throw new InvalidOperationException("OnSigningIn removed the principal; there is nothing to sign in.");

        // Only a session this scheme accepts is replaced: a foreign or unknown id in the cookie is none of its business.
        var current = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var request = SessionRequestFromPrincipal.Create(principal, signingIn.Properties, Context, Scheme.Name, current.Succeeded ? Cookie.Value : null);
        var created = await sessions.CreateAsync(request, Context.RequestAborted).ConfigureAwait(false);
        var cookieOptions = signingIn.CookieOptions;
        if (signingIn.Properties.IsPersistent)
        {
            cookieOptions.Expires = created.Session.AbsoluteExpiresAt;
        }

        Response.Cookies.Append(Options.Cookie.Name!, created.Id, cookieOptions);
        Context.SetSession(created.Session, sessions);
        SetNoStore();
    }

    /// <inheritdoc />
    protected override async Task HandleSignOutAsync(AuthenticationProperties? properties)
    {
        var signingOut = new SessionCookieSigningOutContext(Context, Scheme, Options, properties, Options.Cookie.Build(Context));
        await Events.SigningOut(signingOut).ConfigureAwait(false);
        var current = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (current.Failure is SessionStoreUnavailableException unavailable)
        {
            // The session could not be revoked: answer 503 (the exception handler) and leave the cookie, so the client retries.
            ExceptionDispatchInfo.Throw(unavailable);
        }

        if (current.Succeeded && _session is { } session)
        {
            await sessions.RevokeAsync(session.Key, SessionRevocationReason.Logout, Context.RequestAborted).ConfigureAwait(false);
        }

        Response.Cookies.Delete(Options.Cookie.Name!, signingOut.CookieOptions);
        SetNoStore();
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var outcome = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (outcome.Failure is SessionStoreUnavailableException)
        {
            // 503 rather than 401 (or a login page) so that clients keep their cookie and retry.
            await ProblemResponses.WriteStoreUnavailableAsync(Response).ConfigureAwait(false);
        }
        else if (ReferenceEquals(outcome.Failure, AuthenticateResults.CrossOriginRequest.Failure))
        {
            await ProblemResponses.WriteForbiddenAsync(Response, "Cookie-authenticated requests that change state must come from this site's own origin.").ConfigureAwait(false);
        }
        else if (Options.LoginPath.HasValue && PageNavigation.IsHtmlNavigation(Request))
        {
            Redirect(Options.LoginPath);
        }
        else
        {
            await ProblemResponses.WriteUnauthorizedAsync(Response, "A valid session cookie is required.").ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var outcome = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (outcome.Failure is SessionStoreUnavailableException)
        {
            await ProblemResponses.WriteStoreUnavailableAsync(Response).ConfigureAwait(false);
        }
        else if (Options.AccessDeniedPath.HasValue && PageNavigation.IsHtmlNavigation(Request))
        {
            Redirect(Options.AccessDeniedPath);
        }
        else
        {
            await ProblemResponses.WriteForbiddenAsync(Response, "The session does not grant the permission this endpoint requires.").ConfigureAwait(false);
        }
    }

    private AuthenticateResult Refuse(string reason, AuthenticateResult result)
    {
        Logger.CookieRejected(Scheme.Name, reason);
        metrics.Rejected(reason);
        return result;
    }

    private void Redirect(PathString target)
    {
        Response.StatusCode = StatusCodes.Status302Found;
        Response.Headers.Location = PageNavigation.RedirectUri(Request, target, Options.ReturnUrlParameter);
    }

    // A response that sets or clears a session cookie must never be stored by a shared cache.
    private void SetNoStore()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        Response.Headers.Pragma = "no-cache";
    }
}
