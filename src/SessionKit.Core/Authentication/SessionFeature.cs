namespace SessionKit.Authentication;

/// <summary>Carries the authenticated request's session record in <c>HttpContext.Features</c>.</summary>
internal sealed class SessionFeature(SessionRecord session)
{
    public SessionRecord Session { get; } = session;
}
