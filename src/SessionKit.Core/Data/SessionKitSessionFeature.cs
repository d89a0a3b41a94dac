using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SessionKit.Data;

/// <summary>Offers <see cref="SessionKitSession"/> as <c>HttpContext.Session</c>.</summary>
internal sealed class SessionKitSessionFeature(HttpContext context) : ISessionFeature
{
    private ISession? _session;

    public ISession Session
    {
        get => _session ??= new SessionKitSession(context);
        set => _session = value;
    }
}
