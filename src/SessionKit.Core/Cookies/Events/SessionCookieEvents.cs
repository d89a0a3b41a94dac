namespace SessionKit.Cookies;

/// <summary>
/// Callbacks of the cookie scheme, in the shape of ASP.NET Core's <c>CookieAuthenticationEvents</c>: assign the
/// <c>On…</c> delegates, or derive a class, override the methods and name it in
/// <see cref="Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions.EventsType"/> to have it resolved from the
/// request's services.
/// </summary>
/// <remarks>
/// An exception thrown by a callback is not turned into a failed authentication: it propagates to the app (its exception
/// handler), as it does from ASP.NET Core's own handlers' events, and as <see cref="SessionEvents"/> do.
/// </remarks>
public class SessionCookieEvents
{
    /// <summary>
    /// Raised on every request whose cookie named a live session of this scheme, after the principal was built from the
    /// session: replace or reject the principal (rejecting leaves the request unauthenticated; the session stays).
    /// </summary>
    public Func<SessionCookieValidatePrincipalContext, Task> OnValidatePrincipal { get; set; } = static _ => Task.CompletedTask;

    /// <summary>
    /// Raised by <c>SignInAsync</c> before the session is created: change the principal (its claims become the session's)
    /// or the cookie's options.
    /// </summary>
    public Func<SessionCookieSigningInContext, Task> OnSigningIn { get; set; } = static _ => Task.CompletedTask;

    /// <summary>Raised by <c>SignOutAsync</c> before the session is revoked and the cookie expired.</summary>
    public Func<SessionCookieSigningOutContext, Task> OnSigningOut { get; set; } = static _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnValidatePrincipal"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes when the callback has.</returns>
    public virtual Task ValidatePrincipal(SessionCookieValidatePrincipalContext context) => OnValidatePrincipal(context);

    /// <summary>Invokes <see cref="OnSigningIn"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes when the callback has.</returns>
    public virtual Task SigningIn(SessionCookieSigningInContext context) => OnSigningIn(context);

    /// <summary>Invokes <see cref="OnSigningOut"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes when the callback has.</returns>
    public virtual Task SigningOut(SessionCookieSigningOutContext context) => OnSigningOut(context);
}
