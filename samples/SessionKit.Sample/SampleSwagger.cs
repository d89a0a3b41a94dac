using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SessionKit.Sample;

/// <summary>Swagger UI (at <c>/swagger</c>) with an "Authorize" button for the bearer token returned by <c>POST /login</c>.</summary>
internal static class SampleSwagger
{
    private const string Bearer = "Bearer";

    public static void Configure(SwaggerGenOptions options)
    {
        options.SwaggerDoc("v1", new OpenApiInfo { Title = "SessionKit sample", Version = "v1" });
        options.AddSecurityDefinition(Bearer, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "Paste the access_token returned by POST /login.",
        });
        options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(Bearer, document)] = [],
        });
    }
}
