// The smallest app that uses both SessionKit flavours from the NuGet packages, on a real Redis or on MongoDB:
//   POST /jwt/login      -> 200, a session-over-JWT token (text)     GET /jwt/protected    -> 200 with it, 401 without
//   POST /cookie/login   -> 200, Set-Cookie: __Host-session=...      GET /cookie/protected -> 200 with it, 401 without
// Settings: ConnectionStrings:mongo (a MongoDB connection string) selects the MongoDB store, else ConnectionStrings:redis
// (a StackExchange.Redis configuration string) the Redis store; Jwt:Key (base64, >= 32 bytes).
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using SessionKit;
using SessionKit.Cookies;
using SessionKit.Jwt;

var builder = WebApplication.CreateSlimBuilder(args);
var mongo = builder.Configuration.GetConnectionString("mongo");
var redis = builder.Configuration.GetConnectionString("redis");
var jwtKey = builder.Configuration["Jwt:Key"]
    ?? throw new InvalidOperationException("Set Jwt:Key to a base64 secret of at least 32 bytes (openssl rand -base64 32).");

var authentication = builder.Services.AddAuthentication()
    .AddSessionOverJwt(o =>
    {
        o.Issuer = "https://consumer.example";
        o.Audience = "consumer-test";
        o.SigningKeys.Add(new SessionOverJwtSigningKey(
            new SymmetricSecurityKey(Convert.FromBase64String(jwtKey)) { KeyId = "k1" }, SecurityAlgorithms.HmacSha256));
    });
if (mongo is not null)
{
    builder.Services.AddSessionKit().AddMongoStore(mongo);   // SessionKit on the MongoDB store; both schemes share it
    authentication.AddSessionCookie();
}
else
{
    authentication.AddRedisCookieSessions(redis
        ?? throw new InvalidOperationException("Set ConnectionStrings:mongo or ConnectionStrings:redis, e.g. --ConnectionStrings:redis 127.0.0.1:6379"));
}

builder.Services.AddAuthorization(o =>
{
    o.AddPolicy("jwt", p => p.AddAuthenticationSchemes(SessionOverJwtDefaults.AuthenticationScheme).RequireAuthenticatedUser());
    o.AddPolicy("cookie", p => p.AddAuthenticationSchemes(SessionCookieDefaults.AuthenticationScheme).RequireAuthenticatedUser());
});

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

app.MapPost("/jwt/login", async (SessionOverJwtTokenService tokens) =>
    (await tokens.IssueAsync("user-1", permissions: ["READ"])).AccessToken);
app.MapGet("/jwt/protected", (ClaimsPrincipal user) => $"jwt ok {user.FindFirst(SessionKitClaimTypes.Subject)?.Value}")
    .RequireAuthorization("jwt");

app.MapPost("/cookie/login", async (HttpContext context) =>
{
    var identity = new ClaimsIdentity([new Claim(SessionKitClaimTypes.Subject, "user-2")], authenticationType: "password");
    await context.SignInAsync(SessionCookieDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    return "signed in";
});
app.MapGet("/cookie/protected", (ClaimsPrincipal user) => $"cookie ok {user.FindFirst(SessionKitClaimTypes.Subject)?.Value}")
    .RequireAuthorization("cookie");

app.Run();
