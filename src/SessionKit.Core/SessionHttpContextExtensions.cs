using Microsoft.AspNetCore.Http;
using SessionKit.Authentication;

namespace SessionKit;

/// <summary>Access to the session behind the current request.</summary>
public static class SessionHttpContextExtensions
{
    /// <summary>
    /// The session record a SessionKit scheme authenticated this request with, or <see langword="null"/> when the
    /// request was not authenticated by SessionKit (call after authentication, e.g. in an endpoint).
    /// </summary>
    /// <param name="context">The request.</param>
    /// <returns>The session record, as loaded from the store for this request (or as this request last saved it).</returns>
    public static SessionRecord? GetSession(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<SessionFeature>()?.Session;
    }

    /// <summary>
    /// The data of the session that authenticated this request, to read and change; <see langword="null"/> when the
    /// request was not authenticated by SessionKit. Changes are saved once, before the response starts (or by
    /// <see cref="SessionData.CommitAsync"/>).
    /// </summary>
    /// <param name="context">The request.</param>
    /// <returns>The request's view of the session data.</returns>
    public static SessionData? GetSessionData(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<SessionFeature>()?.Data;
    }

    internal static void SetSession(this HttpContext context, SessionRecord session, SessionManager manager)
        => context.Features.Set(new SessionFeature(session, manager, context));
}
