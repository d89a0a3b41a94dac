namespace SessionKit.Jwt;

/// <summary>
/// Callbacks of the session-over-JWT scheme, in the shape of ASP.NET Core's <c>JwtBearerEvents</c>: assign the
/// <c>On…</c> delegates, or derive a class, override the methods and name it in
/// <see cref="Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions.EventsType"/> to have it resolved from the
/// request's services.
/// </summary>
/// <remarks>
/// An exception thrown by a callback is not turned into a failed authentication: it propagates to the app (its exception
/// handler), as it does from ASP.NET Core's own handlers' events, and as <see cref="SessionEvents"/> do.
/// </remarks>
public class SessionOverJwtEvents
{
    /// <summary>
    /// Raised first on every request: set <see cref="SessionOverJwtMessageReceivedContext.Token"/> to take the token from
    /// elsewhere than the <c>Authorization</c> header, or decide the outcome yourself (<c>Success</c>, <c>Fail</c>,
    /// <c>NoResult</c>). A token set here goes through every check a header token does.
    /// </summary>
    public Func<SessionOverJwtMessageReceivedContext, Task> OnMessageReceived { get; set; } = static _ => Task.CompletedTask;

    /// <summary>
    /// Raised when the token passed every check and its session is live, with the principal built from the session:
    /// change the principal, or refuse the request with <c>Fail</c>.
    /// </summary>
    public Func<SessionOverJwtTokenValidatedContext, Task> OnTokenValidated { get; set; } = static _ => Task.CompletedTask;

    /// <summary>
    /// Raised before the scheme answers a challenge (401, or 503 when the store is down): call
    /// <see cref="SessionOverJwtChallengeContext.HandleResponse"/> after writing your own response to skip the default one.
    /// </summary>
    public Func<SessionOverJwtChallengeContext, Task> OnChallenge { get; set; } = static _ => Task.CompletedTask;

    /// <summary>
    /// Raised when an authenticated request lacks a permission, after the status code was set to 403: write a body to
    /// replace the default problem details.
    /// </summary>
    public Func<SessionOverJwtForbiddenContext, Task> OnForbidden { get; set; } = static _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnMessageReceived"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes when the callback has.</returns>
    public virtual Task MessageReceived(SessionOverJwtMessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invokes <see cref="OnTokenValidated"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes when the callback has.</returns>
    public virtual Task TokenValidated(SessionOverJwtTokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes when the callback has.</returns>
    public virtual Task Challenge(SessionOverJwtChallengeContext context) => OnChallenge(context);

    /// <summary>Invokes <see cref="OnForbidden"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes when the callback has.</returns>
    public virtual Task Forbidden(SessionOverJwtForbiddenContext context) => OnForbidden(context);
}
