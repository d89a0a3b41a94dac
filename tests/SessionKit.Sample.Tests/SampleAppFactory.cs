using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using SessionKit.Jwt;
using SessionKit.Testing;

namespace SessionKit.Sample.Tests;

/// <summary>
/// The sample app, unchanged except that its session store is wrapped by a <see cref="CountingSessionStore"/>, store
/// calls time out after <see cref="StoreTimeout"/>, and the JWT scheme also knows an RS256 and an ES256 validation key
/// (an older key generation), so that the battery can try algorithm-confusion attacks against them.
/// </summary>
public class SampleAppFactory : WebApplicationFactory<Program>
{
    public const string RsaKeyId = "rsa-old";
    public const string EcKeyId = "ec-old";

    /// <summary>
    /// What a hanging store costs a request. The in-memory store answers at once, but on a loaded 2-core machine a
    /// request's thread can wait for a core for hundreds of milliseconds, which a shorter timeout turns into a 503.
    /// </summary>
    public static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(2);

    public RSA RsaKey { get; } = RSA.Create(2048);

    public ECDsa EcKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public CountingSessionStore Store => Services.GetRequiredService<CountingSessionStore>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseTestUsersDatabase();
        builder.ConfigureTestServices(services =>
        {
            var original = services.Last(d => d.ServiceType == typeof(ISessionStore));
            services.AddSingleton(sp => new CountingSessionStore(original.ImplementationFactory is { } factory
                ? (ISessionStore)factory(sp)
                : original.ImplementationInstance as ISessionStore ?? (ISessionStore)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)));
            services.Replace(ServiceDescriptor.Singleton<ISessionStore>(sp => sp.GetRequiredService<CountingSessionStore>()));
            services.Configure<SessionKitOptions>(o => o.StoreTimeout = StoreTimeout);
            services.Configure<SessionOverJwtOptions>(SessionOverJwtDefaults.AuthenticationScheme, o =>
            {
                // Older validation-only keys go first: the last key (the app's HS256 key) keeps signing.
                o.SigningKeys.Insert(0, new SessionOverJwtSigningKey(new RsaSecurityKey(RsaKey.ExportParameters(false)) { KeyId = RsaKeyId }, SecurityAlgorithms.RsaSha256));
                o.SigningKeys.Insert(1, new SessionOverJwtSigningKey(new ECDsaSecurityKey(ECDsa.Create(EcKey.ExportParameters(false))) { KeyId = EcKeyId }, SecurityAlgorithms.EcdsaSha256));
            });
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            RsaKey.Dispose();
            EcKey.Dispose();
        }
    }
}
