using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SessionKit.Sample.BrowserTests;

/// <summary>
/// Another origin of the sample's site: a tiny Kestrel server on another port of localhost whose page holds plain HTML
/// forms that post to the sample (<c>POST /sessions/revoke-others</c>, <c>POST /user/logout</c>) — what a page on a
/// sibling origin could try. The browser attaches the SameSite=Lax cookie to these top-level same-site posts, so only
/// the sample's origin check stands in the way.
/// </summary>
public sealed class OtherOriginSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtherOriginSite(WebApplication app, string origin)
    {
        _app = app;
        Origin = origin;
    }

    public string Origin { get; }

    public static async Task<OtherOriginSite> StartAsync(string sampleOrigin)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var page = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Another origin</title></head>
            <body>
              <form id="revoke-others" method="post" action="{sampleOrigin}/sessions/revoke-others"><button>Revoke the other sessions</button></form>
              <form id="sign-out" method="post" action="{sampleOrigin}/user/logout"><button>Sign out</button></form>
            </body></html>
            """;
        app.MapGet("/", () => Results.Content(page, "text/html"));
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        return new OtherOriginSite(app, $"http://localhost:{port}");
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
