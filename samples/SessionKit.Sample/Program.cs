using SessionKit;
using SessionKit.Jwt;
using SessionKit.Sample;
using SessionKit.Sample.Benchmarks;
using SessionKit.Sample.CookieScenario;
using SessionKit.Sample.JwtScenario;
using SessionKit.Sample.SessionsManagement;
using SessionKit.Sample.Users;

var builder = WebApplication.CreateBuilder(args);

// Sessions: policy from the "SessionKit" section (IdleTimeout, AbsoluteLifetime, LocalCache:Enabled, …); the store
// from "Store": memory (default), redis or mongo.
builder.Services.AddSessionKit(o => builder.Configuration.GetSection("SessionKit").Bind(o))
    .AddSampleStore(builder.Configuration)
    .AddHealthCheck();

// Scenario A, session over JWT: the signing key comes from configuration ("Jwt:SigningKey"); outside Development,
// start-up refuses a missing key or the development one.
// Scenario B, cookie sessions: the library's secure defaults (__Host- prefix, Secure, HttpOnly, SameSite=Lax);
// browsers and curl accept Secure cookies from http://localhost, so the defaults hold in development too.
var jwt = SampleJwtSettings.Load(builder.Configuration, builder.Environment);
var authentication = builder.Services.AddAuthentication(SessionOverJwtDefaults.AuthenticationScheme)
    .AddSessionOverJwt(jwt.Configure)
    .AddSessionCookie()
    .AddAnySessionScheme();

// Stateless comparison schemes for the load test (benchmarks/load/run.sh); off unless Benchmarks:Baselines=true.
var baselines = BaselineEndpoints.IsEnabled(builder.Configuration);
if (baselines)
{
    authentication.AddBaselineSchemes(jwt);
}
builder.Services.AddAuthorization(SampleAuthorization.Configure);

builder.Services.AddSingleton<UserDirectory>();
builder.Services.AddProblemDetails();
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen(SampleSwagger.Configure);

var app = builder.Build();

// SessionKit registers an exception handler that turns SessionStoreUnavailableException (e.g. a sign-in while the
// store is down) into 503 problem details; UseExceptionHandler() activates it.
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSwagger();
app.UseSwaggerUI();
app.UseAuthentication();
app.UseAuthorization();

app.MapJwtScenario();
app.MapCookieScenario();
app.MapMySessions();
app.MapHealthChecks("/health");
if (baselines)
{
    app.MapBaselines();
}

app.Run();

/// <summary>The sample app's entry point (public so that tests can start it with WebApplicationFactory).</summary>
public partial class Program;
