namespace SessionKit.Authentication;

/// <summary>
/// Carries the session a SessionKit scheme authenticated the request with in <c>HttpContext.Features</c>, and the
/// request's view of its data once someone asks for it.
/// </summary>
internal sealed class SessionFeature(SessionRecord session, SessionManager manager, Microsoft.AspNetCore.Http.HttpContext? context)
{
    private SessionData? _data;

    /// <summary>The session as last read or saved by this request.</summary>
    public SessionRecord Session { get; set; } = session;

    public SessionManager Manager { get; } = manager;

    /// <summary>The request, whose response saves the data before it starts.</summary>
    public Microsoft.AspNetCore.Http.HttpContext? Context { get; } = context;

    public SessionData Data => _data ??= new SessionData(this);

    /// <summary>Whether this request changed the data and has not saved it yet.</summary>
    public bool HasUnsavedData => _data is { IsDirty: true };
}
