using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using SessionKit.Cookies;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SessionKit.Sample;

/// <summary>
/// Puts a security requirement on an operation only when its endpoint needs an authenticated session, naming the
/// credentials its authentication schemes accept: the bearer token (the JWT scheme, the default), the session cookie,
/// or either (the token-or-cookie policy scheme, listed as two alternative requirements). The schemes are read from the
/// endpoint's authorization metadata and policies, so the document follows the code.
/// </summary>
internal sealed class SessionSecurityOperationFilter(IOptions<AuthorizationOptions> authorization, IOptions<AuthenticationOptions> authentication)
    : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return;
        }

        var policies = metadata.OfType<AuthorizationPolicy>().ToList();
        var schemes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var data in metadata.OfType<IAuthorizeData>())
        {
            schemes.UnionWith(data.AuthenticationSchemes?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? []);
            if ((data.Policy is { } name ? authorization.Value.GetPolicy(name) : authorization.Value.DefaultPolicy) is { } policy)
            {
                policies.Add(policy);
            }
        }

        if (policies.Count == 0 && !metadata.OfType<IAuthorizeData>().Any())
        {
            return;
        }

        schemes.UnionWith(policies.SelectMany(p => p.AuthenticationSchemes));
        if (schemes.Count == 0 && (authentication.Value.DefaultAuthenticateScheme ?? authentication.Value.DefaultScheme) is { } fallback)
        {
            schemes.Add(fallback);
        }

        var bearer = schemes.Any(s => s != SessionCookieDefaults.AuthenticationScheme);
        var cookie = schemes.Any(s => s is SessionCookieDefaults.AuthenticationScheme or SampleAuthorization.AnySessionScheme);
        operation.Security = [];
        if (bearer)
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SampleSwagger.BearerScheme, context.Document)] = [] });
        }

        if (cookie)
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SampleSwagger.CookieScheme, context.Document)] = [] });
        }
    }
}
