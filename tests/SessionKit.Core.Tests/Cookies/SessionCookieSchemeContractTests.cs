using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SessionKit.Cookies;
using SessionKit.Testing;

namespace SessionKit.Core.Tests.Cookies;

/// <summary>The shared scheme suite (401, 403, 503 fail-closed, bad input) bound to the cookie scheme.</summary>
public sealed class SessionCookieSchemeContractTests : SessionSchemeContractTests
{
    protected override string SchemeName => SessionCookieDefaults.AuthenticationScheme;

    protected override void AddScheme(AuthenticationBuilder authentication) => authentication.AddSessionCookie();

    protected override async Task<string> IssueCredentialAsync(HttpContext context, ClaimsPrincipal user)
    {
        await context.SignInAsync(SchemeName, user);
        var setCookie = context.Response.Headers.SetCookie.ToString();
        return setCookie.Split(';')[0].Split('=', 2)[1];
    }

    protected override void AddCredential(HttpRequestMessage request, string credential)
        => request.Headers.TryAddWithoutValidation("Cookie", SessionCookieDefaults.CookieName + "=" + credential);

    protected override IEnumerable<string> BadCredentials(string valid) =>
    [
        "",
        "garbage",
        "%00%01%02",
        new string('A', 8000),
        valid[..^1],
        valid + "A",
        "\"" + valid + "\"",
        valid.Replace('.', '-'),
        valid[..10] + "!" + valid[11..],
        valid[..10] + "é" + valid[11..],
        valid + "." + valid,
    ];
}
