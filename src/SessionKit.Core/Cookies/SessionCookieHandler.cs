using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionKit.Authentication;

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
    SessionManager sessions)
    : SignInAuthenticationHandler<SessionCookieOptions>(options, logger, encoder)
{
    private string? CookieValue => Request.Cookies[Options.Cookie.Name!];

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var sessionId = CookieValue;
        if (string.IsNullOrEmpty(sessionId))
        {
            return AuthenticateResult.NoResult();
        }

        SessionValidationResult result;
        try
        {
            result = await sessions.ValidateAsync(sessionId, Scheme.Name, Context.RequestAborted).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException ex)
        {
            return AuthenticateResult.Fail(ex);
        }

        if (result.Session is not { } session)
        {
            return AuthenticateResults.InvalidSession;
        }

        Context.SetSession(session, sessions);
        return AuthenticateResult.Success(new AuthenticationTicket(SessionPrincipalFactory.Create(session, Scheme.Name), Scheme.Name));
    }

    protected override async Task HandleSignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties)
    {
        ArgumentNullException.ThrowIfNull(user);
        var request = SessionRequestFromPrincipal.Create(user, properties, Context, Scheme.Name, CookieValue);
        var created = await sessions.CreateAsync(request, Context.RequestAborted).ConfigureAwait(false);
        var cookie = Options.Cookie.Build(Context);
        if (properties?.IsPersistent == true)
        {
            cookie.Expires = created.Session.AbsoluteExpiresAt;
        }

        Response.Cookies.Append(Options.Cookie.Name!, created.Id, cookie);
        Context.SetSession(created.Session, sessions);
        SetNoStore();
    }

    protected override async Task HandleSignOutAsync(AuthenticationProperties? properties)
    {
        if (CookieValue is { Length: > 0 } sessionId)
        {
            await sessions.RevokeAsync(sessionId, SessionRevocationReason.Logout, Context.RequestAborted).ConfigureAwait(false);
        }

        Response.Cookies.Delete(Options.Cookie.Name!, Options.Cookie.Build(Context));
        SetNoStore();
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        => RespondUnlessStoreIsDownAsync(static response => ProblemResponses.WriteUnauthorizedAsync(response, "A valid session cookie is required."));

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        => RespondUnlessStoreIsDownAsync(static response => ProblemResponses.WriteForbiddenAsync(response, "The session does not grant the permission this endpoint requires."));

    // 503 rather than 401/403 when the store could not answer, so that clients keep their cookie and retry.
    private async Task RespondUnlessStoreIsDownAsync(Func<HttpResponse, Task> respond)
    {
        var outcome = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        await (outcome.Failure is SessionStoreUnavailableException
            ? ProblemResponses.WriteStoreUnavailableAsync(Response)
            : respond(Response)).ConfigureAwait(false);
    }

    // A response that sets or clears a session cookie must never be stored by a shared cache.
    private void SetNoStore()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        Response.Headers.Pragma = "no-cache";
    }
}
