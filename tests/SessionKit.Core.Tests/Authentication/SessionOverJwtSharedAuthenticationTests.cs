using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using SessionKit.Core.Tests.Jwt;
using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Authentication;

public sealed class SessionOverJwtSharedAuthenticationTests : SharedAuthenticationConventionTests<SessionOverJwtOptions>
{
    protected override string DefaultScheme => SessionOverJwtDefaults.AuthenticationScheme;

    protected override Type HandlerType => typeof(SessionOverJwtHandler);

    protected override bool SupportsSignInAndOut => false;

    protected override void RegisterAuth(AuthenticationBuilder builder, Action<SessionOverJwtOptions> configure)
        => builder.AddSessionOverJwt(o =>
        {
            TestKeys.With(TestKeys.Hs256())(o);
            configure(o);
        });
}
