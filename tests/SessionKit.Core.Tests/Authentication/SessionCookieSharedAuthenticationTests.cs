using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using SessionKit.Cookies;

namespace SessionKit.Core.Tests.Authentication;

public sealed class SessionCookieSharedAuthenticationTests : SharedAuthenticationConventionTests<SessionCookieOptions>
{
    protected override string DefaultScheme => SessionCookieDefaults.AuthenticationScheme;

    protected override Type HandlerType => typeof(SessionCookieHandler);

    protected override bool SupportsSignInAndOut => true;

    protected override void RegisterAuth(AuthenticationBuilder builder, Action<SessionCookieOptions> configure) => builder.AddSessionCookie(configure);
}
