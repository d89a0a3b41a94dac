using Microsoft.OpenApi;
using SessionKit.Cookies;
using SessionKit.Sample.CookieScenario;
using SessionKit.Sample.JwtScenario;
using SessionKit.Sample.Operators;
using SessionKit.Sample.SessionsManagement;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SessionKit.Sample;

/// <summary>
/// Swagger UI (at <c>/swagger</c>) with both of the sample's credentials: the bearer token of <c>POST /login</c> and the
/// session cookie of <c>POST /user/login</c>. Each operation shows a lock only if it needs a session, for the schemes
/// it accepts (<see cref="SessionSecurityOperationFilter"/>).
/// </summary>
internal static class SampleSwagger
{
    public const string BearerScheme = "Bearer";
    public const string CookieScheme = "SessionCookie";

    public static void Configure(SwaggerGenOptions options)
    {
        options.SwaggerDoc("v1", new OpenApiInfo
        {
            Title = "SessionKit sample",
            Version = "v1",
            Description = "Scenario A (session over JWT) and scenario B (cookie sessions) on SessionKit's server-side sessions.",
        });
        options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "Paste the access_token returned by POST /login.",
        });
        options.AddSecurityDefinition(CookieScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = SessionCookieDefaults.CookieName,
            Description = "The session cookie set by POST /user/login (HttpOnly: sign in with that operation and the browser sends it).",
        });
        options.OperationFilter<SessionSecurityOperationFilter>();
        options.DocumentFilter<TagDescriptionsFilter>();
    }

    /// <summary>Describes the four tags, in the order a reader walks them.</summary>
    private sealed class TagDescriptionsFilter : IDocumentFilter
    {
        public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
        {
            swaggerDoc.Tags = new HashSet<OpenApiTag>
            {
                new() { Name = JwtEndpoints.Tag, Description = "POST /login returns a token that holds only a session pointer; the session lives in the store." },
                new() { Name = UserEndpoints.Tag, Description = "POST /user/login sets an opaque __Host- cookie; permissions live in the session." },
                new() { Name = MySessionsEndpoints.Tag, Description = "The caller's own sessions, with a token or a cookie." },
                new() { Name = OperatorEndpoints.Tag, Description = "Force logout, for holders of sessions:admin." },
            };
        }
    }
}
