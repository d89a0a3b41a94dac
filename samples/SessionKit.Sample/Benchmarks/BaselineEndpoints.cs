using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using SessionKit.Cookies;
using SessionKit.Jwt;
using SessionKit.Sample.CookieScenario;
using SessionKit.Sample.JwtScenario;
using SessionKit.Sample.Users;

namespace SessionKit.Sample.Benchmarks;

/// <summary>
/// Stateless comparison endpoints for the load test (<c>benchmarks/load/run.sh</c>), mapped only when the setting
/// <c>Benchmarks:Baselines</c> is <c>true</c> (off by default):
/// <list type="bullet">
/// <item><c>GET /baseline/jwt/member</c>: ASP.NET Core's <c>JwtBearer</c> scheme validating the very token
/// <c>POST /login</c> issues, with the same issuer, audience, type, algorithm, key and clock skew — no store.</item>
/// <item><c>POST /baseline/cookie/login</c> and <c>GET /baseline/cookie/member</c>: ASP.NET Core's cookie
/// authentication (a data-protected ticket in the cookie, no store) with the same claims SessionKit's cookie holds.</item>
/// <item><c>GET /baseline/session-cookie/member</c>: SessionKit's cookie scheme on the same tiny body.</item>
/// </list>
/// All protected endpoints here and <c>GET /member</c> use the default policy; a path-based policy scheme picks the
/// handler, so every configuration runs exactly one authentication handler per request.
/// </summary>
internal static class BaselineEndpoints
{
    /// <summary>The setting that maps these endpoints.</summary>
    public const string EnabledKey = "Benchmarks:Baselines";

    private const string JwtScheme = "BaselineJwtBearer";
    private const string CookieScheme = "BaselineCookie";
    private const string SelectorScheme = "BenchmarkSelector";
    private const string Body = "Hello World!";

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>(EnabledKey);

    /// <summary>Adds the stateless schemes and makes the path-based selector the default authenticate scheme.</summary>
    public static AuthenticationBuilder AddBaselineSchemes(this AuthenticationBuilder builder, SampleJwtSettings jwt)
    {
        builder.AddJwtBearer(JwtScheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = jwt.Issuer,
                ValidAudience = jwt.Audience,
                RequireAudience = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                ValidTypes = [SessionOverJwtDefaults.TokenType],
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                IssuerSigningKey = new SymmetricSecurityKey(jwt.SigningKey) { KeyId = jwt.KeyId },
            };
        });
        builder.AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = "baseline-cookie";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
        builder.AddPolicyScheme(SelectorScheme, "Benchmark scheme by path", o => o.ForwardDefaultSelector = context =>
        {
            var path = context.Request.Path;
            return path.StartsWithSegments("/baseline/jwt") ? JwtScheme
                : path.StartsWithSegments("/baseline/cookie") ? CookieScheme
                : path.StartsWithSegments("/baseline/session-cookie") ? SessionCookieDefaults.AuthenticationScheme
                : SessionOverJwtDefaults.AuthenticationScheme;
        });
        builder.Services.Configure<AuthenticationOptions>(o =>
        {
            o.DefaultAuthenticateScheme = SelectorScheme;
            o.DefaultChallengeScheme = SelectorScheme;
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapBaselines(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/baseline").ExcludeFromDescription();
        group.MapGet("/jwt/member", () => Results.Text(Body)).RequireAuthorization();
        group.MapGet("/cookie/member", () => Results.Text(Body)).RequireAuthorization();
        group.MapGet("/session-cookie/member", () => Results.Text(Body)).RequireAuthorization();
        group.MapPost("/cookie/login", CookieLoginAsync).AllowAnonymous();
        return endpoints;
    }

    // The same claims as SessionKit's cookie login (POST /user/login): subject, name and one claim per permission.
    private static async Task<IResult> CookieLoginAsync(HttpContext context, UserDirectory users, UserSessions sessions)
    {
        var (_, error) = await CookieSignIn.SignInAsync(context, users, sessions, CookieScheme, """{"username":"admin","password":"admin"}""");
        return error ?? Results.Text("signed in");
    }
}
