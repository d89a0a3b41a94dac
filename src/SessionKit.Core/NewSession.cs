namespace SessionKit;

/// <summary>A session just created: the id to hand to the client (once) and the stored record.</summary>
/// <param name="Id">The session id. Give it to the client (cookie or token); it is never stored or logged.</param>
/// <param name="Session">The stored record.</param>
public sealed record NewSession(string Id, SessionRecord Session);
