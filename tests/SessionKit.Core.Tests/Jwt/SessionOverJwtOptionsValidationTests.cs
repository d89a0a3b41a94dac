using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Jwt;

public sealed class SessionOverJwtOptionsValidationTests
{
    [Fact]
    public void Valid_options_pass()
        => Assert.NotNull(Options(TestKeys.With(TestKeys.Hs256(), TestKeys.Rs256(), TestKeys.Es256())).Validator);

    [Fact]
    public void Issuer_audience_and_a_key_are_required()
    {
        var error = Failure(_ => { });

        Assert.Contains("Issuer is required", error, StringComparison.Ordinal);
        Assert.Contains("Audience is required", error, StringComparison.Ordinal);
        Assert.Contains("no signing key", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_hmac_key_shorter_than_256_bits_is_refused()
        => Assert.Contains("use at least 256 bits", Failure(TestKeys.With(new SessionOverJwtSigningKey(
            new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(16)) { KeyId = "short" }, SecurityAlgorithms.HmacSha256))), StringComparison.Ordinal);

    [Fact]
    public void An_rsa_key_cannot_be_registered_for_an_hmac_algorithm()
        => Assert.Contains("must be a SymmetricSecurityKey", Failure(TestKeys.With(new SessionOverJwtSigningKey(
            new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa" }, SecurityAlgorithms.HmacSha256))), StringComparison.Ordinal);

    [Fact]
    public void An_ec_key_on_the_wrong_curve_is_refused_for_ES256()
        => Assert.Contains("needs P-256", Failure(TestKeys.With(new SessionOverJwtSigningKey(
            new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP384)) { KeyId = "ec" }, SecurityAlgorithms.EcdsaSha256))), StringComparison.Ordinal);

    [Fact]
    public void Keys_need_a_unique_kid()
    {
        Assert.Contains("needs a KeyId", Failure(TestKeys.With(new SessionOverJwtSigningKey(
            new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256))), StringComparison.Ordinal);
        Assert.Contains("two signing keys have KeyId 'same'", Failure(TestKeys.With(TestKeys.Hs256("same"), TestKeys.Hs256("same"))), StringComparison.Ordinal);
    }

    [Fact]
    public void None_is_never_an_allowed_algorithm()
        => Assert.Contains("'none' is never accepted", Failure(o => { TestKeys.With(TestKeys.Hs256())(o); o.AllowedAlgorithms.Add("none"); }), StringComparison.Ordinal);

    [Fact]
    public void A_key_whose_algorithm_is_not_allowed_is_refused()
        => Assert.Contains("which AllowedAlgorithms does not list", Failure(o => { TestKeys.With(TestKeys.Rs256())(o); o.AllowedAlgorithms.Remove("RS256"); }), StringComparison.Ordinal);

    [Fact]
    public void A_clock_skew_over_30_seconds_needs_an_explicit_opt_in()
    {
        Assert.Contains("exceeds 30 seconds", Failure(o => { TestKeys.With(TestKeys.Hs256())(o); o.ClockSkew = TimeSpan.FromMinutes(5); }), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(5), Options(o => { TestKeys.With(TestKeys.Hs256())(o); o.ClockSkew = TimeSpan.FromMinutes(5); o.AllowLargeClockSkew = true; }).ClockSkew);
    }

    [Fact]
    public void Defaults_are_those_documented()
    {
        var options = new SessionOverJwtOptions();

        Assert.Equal(TimeSpan.FromSeconds(30), options.ClockSkew);
        Assert.Equal(8192, options.MaxTokenLength);
        Assert.Equal(["HS256", "RS256", "ES256"], options.AllowedAlgorithms);
        Assert.Null(options.TokenLifetime);
    }

    private static SessionOverJwtOptions Options(Action<SessionOverJwtOptions> configure)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddAuthentication().AddSessionOverJwt(configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<SessionOverJwtOptions>>().Get(SessionOverJwtDefaults.AuthenticationScheme);
    }

    private static string Failure(Action<SessionOverJwtOptions> configure)
        => Assert.Throws<OptionsValidationException>(() => Options(configure)).Message;
}
