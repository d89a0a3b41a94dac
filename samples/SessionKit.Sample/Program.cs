using Microsoft.EntityFrameworkCore;
using SessionKit;
using SessionKit.Cookies;
using SessionKit.Jwt;
using SessionKit.Mongo;
using SessionKit.Redis;
using SessionKit.Sample;
using SessionKit.Sample.Benchmarks;
using SessionKit.Sample.CookieScenario;
using SessionKit.Sample.Hosting;
using SessionKit.Sample.JwtScenario;
using SessionKit.Sample.Operators;
using SessionKit.Sample.SessionsManagement;
using SessionKit.Sample.Users;

var builder = WebApplication.CreateBuilder(args);

// The sample's own choices, checked now: Store (memory, redis, mongo) and Users (sqlite, postgres) with their
// connection strings. Sections bound below fail start-up on a key their options do not have (a misspelling).
var settings = SampleSettings.Load(builder.Configuration);
builder.Services.AddSingleton(settings);
builder.Services.AddHostedService<StartupReport>();

// Sessions: policy from the "SessionKit" section (IdleTimeout, AbsoluteLifetime, LocalCache:Enabled, …).
var sessions = builder.Services.AddSessionKit(StrictConfiguration.Bind<SessionKitOptions>(builder.Configuration, "SessionKit"))
    .AddHealthCheck();
if (settings.Store == SampleStore.Mongo)
{
    sessions.AddMongoStore(settings.StoreConnection!, StrictConfiguration.Bind<MongoSessionStoreOptions>(builder.Configuration, "Mongo"));
}

// Scenario A, session over JWT: the signing key comes from configuration ("Jwt:SigningKey"); outside Development,
// start-up refuses a missing key or the development one.
var jwt = SampleJwtSettings.Load(builder.Configuration, builder.Environment);
var authentication = builder.Services.AddAuthentication(SessionOverJwtDefaults.AuthenticationScheme)
    .AddSessionOverJwt(jwt.Configure);

// Scenario B, cookie sessions, with the library's secure defaults (__Host- prefix, Secure, HttpOnly, SameSite=Lax;
// browsers and curl accept Secure cookies from http://localhost). On Redis, the store and the scheme in one call.
if (settings.Store == SampleStore.Redis)
{
    authentication.AddRedisCookieSessions(settings.StoreConnection!, SessionCookieDefaults.AuthenticationScheme,
        configureCookie: null, configureStore: StrictConfiguration.Bind<RedisSessionStoreOptions>(builder.Configuration, "Redis"));
}
else
{
    authentication.AddSessionCookie();
}

authentication.AddAnySessionScheme();

// Stateless comparison schemes for the load test (benchmarks/load/run.sh); off unless Benchmarks:Baselines=true.
var baselines = BaselineEndpoints.IsEnabled(builder.Configuration);
if (baselines)
{
    authentication.AddBaselineSchemes(jwt);
}

builder.Services.AddAuthorization(SampleAuthorization.Configure);

// Users: a database every instance shares (SQLite file by default, PostgreSQL with --Users postgres); its tables are
// created and seeded at start-up.
builder.Services.AddDbContextFactory<UsersDbContext>(db => _ = settings.Users == SampleUsersDatabase.Postgres
    ? db.UseNpgsql(settings.UsersConnection)
    : db.UseSqlite(settings.UsersConnection));
builder.Services.AddHostedService<UsersDatabaseInitializer>();
builder.Services.AddSingleton<UserDirectory>();
builder.Services.AddScoped<UserSessions>();

// Sign-in attempts are rate-limited per client address ("RateLimiting:SignIn"); bad request bodies are problem details.
builder.Services.AddSignInRateLimiting(builder.Configuration);
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
builder.Services.AddProblemDetails();
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen(SampleSwagger.Configure);

var app = builder.Build();

// SessionKit registers an exception handler that turns SessionStoreUnavailableException (e.g. a sign-in while the
// store is down) into 503 problem details; UseExceptionHandler() activates it and the sample's own handler above.
app.UseExceptionHandler();
app.UseStatusCodePages();
// The "My sessions" page at / (wwwroot): sign in with the cookie, see and revoke sessions, name this device.
app.UseMySessionsPage();
app.UseSwagger();
app.UseSwaggerUI();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapJwtScenario();
app.MapCookieScenario();
app.MapMySessions();
app.MapOperators();
app.MapHealthChecks("/health");
if (baselines)
{
    app.MapBaselines();
}

app.Run();

/// <summary>The sample app's entry point (public so that tests can start it with WebApplicationFactory).</summary>
public partial class Program;
