using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SessionKit.Jwt;

namespace SessionKit.Benchmarks;

/// <summary>
/// What the session lookup costs on top of bare token validation. Baseline: <see cref="JsonWebTokenHandler"/> validating
/// the same HS256 token with the same issuer, audience, type, algorithm and clock-skew rules (a stateless JWT API).
/// Compared: SessionKit's path — the same checks plus its own (compact-JWS shape, unique JSON members, string
/// <c>sid</c>/<c>sub</c>), then the session lookup through the <see cref="SessionManager"/> on the in-memory store
/// (expiry rules, coalesced touch, metrics, span), exactly as the authentication handler runs it. The same token is
/// validated again and again, as a client's requests are: from the second call on, the validator remembers that the
/// token passed its own checks and re-checks only its lifetime (<c>VerifiedTokenCache</c>); the "token checks only"
/// breakdown row is the full check a token's first request pays.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
public class JwtValidationBenchmarks
{
    private const string Issuer = "https://bench.sessionkit";
    private const string Audience = "bench-api";

    private readonly JsonWebTokenHandler _handler = new();
    private ServiceProvider _services = null!;
    private TokenValidationParameters _parameters = null!;
    private SessionTokenValidator _validator = null!;
    private SessionManager _sessions = null!;
    private string _token = null!;
    private string _sessionId = null!;

    internal string Token => _token;

    internal SessionTokenValidator Validator => _validator;

    [GlobalSetup]
    public void Setup()
    {
        var key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "bench-1" };
        var services = new ServiceCollection().AddLogging();
        services.AddAuthentication().AddSessionOverJwt(o =>
        {
            o.Issuer = Issuer;
            o.Audience = Audience;
            o.SigningKeys.Add(new SessionOverJwtSigningKey(key, SecurityAlgorithms.HmacSha256));
        });
        _services = services.BuildServiceProvider();
        _sessions = _services.GetRequiredService<SessionManager>();
        _validator = _services.GetRequiredService<IOptionsMonitor<SessionOverJwtOptions>>().Get(SessionOverJwtDefaults.AuthenticationScheme).Validator!;
        _token = _services.GetRequiredService<SessionOverJwtTokenService>().IssueAsync("bench-user").GetAwaiter().GetResult().AccessToken;
        _sessionId = new JsonWebToken(_token).GetPayloadValue<string>(SessionOverJwtDefaults.SessionIdClaim);
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            RequireAudience = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            ValidTypes = [SessionOverJwtDefaults.TokenType],
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            IssuerSigningKey = key,
        };

        if (!Baseline_JsonWebTokenHandler().GetAwaiter().GetResult() || !SessionKit_token_and_session().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("Both paths must accept the benchmark token.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "JsonWebTokenHandler.ValidateTokenAsync alone")]
    public async Task<bool> Baseline_JsonWebTokenHandler()
        => (await _handler.ValidateTokenAsync(_token, _parameters).ConfigureAwait(false)).IsValid;

    [Benchmark(Description = "SessionKit: token + in-memory session lookup (a repeat request)")]
    public async Task<bool> SessionKit_token_and_session()
        => (await _validator.ValidateSessionAsync(_token, _sessions, SessionOverJwtDefaults.AuthenticationScheme, CancellationToken.None).ConfigureAwait(false)).Passed;

    [Benchmark(Description = "breakdown: SessionKit token checks only (a token's first request)")]
    public async Task<bool> Breakdown_token_only()
        => (await _validator.ValidateTokenAsync(_token).ConfigureAwait(false)).Passed;

    [Benchmark(Description = "breakdown: SessionManager.ValidateAsync(id) only, id hashed each time")]
    public async Task<bool> Breakdown_session_only()
        => (await _sessions.ValidateAsync(_sessionId, SessionOverJwtDefaults.AuthenticationScheme, CancellationToken.None).ConfigureAwait(false)).IsValid;
}
