using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Jwt;

/// <summary>
/// The opt-in query-string token (SignalR and other WebSocket/SSE clients) on configured paths: accepted there only, and
/// kept out of every log, ASP.NET Core's request logging and HTTP logging included.
/// </summary>
public sealed class QueryStringTokenTests : IAsyncLifetime
{
    private JwtTestApp _app = null!;
    private string _token = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await JwtTestApp.StartAsync(
            o =>
            {
                TestKeys.With(TestKeys.Hs256())(o);
                o.QueryStringTokenPaths.Add("/hubs");
            },
            // HTTP logging with the query string, which its "All" leaves out.
            services: s => s.AddHttpLogging(o => o.LoggingFields = HttpLoggingFields.All | HttpLoggingFields.RequestQuery),
            endpoints: a => a.MapGet("/hubs/chat", (HttpContext context) => context.Request.QueryString.Value ?? "").RequireAuthorization(),
            beforeAuthentication: a => a.UseHttpLogging());
        _token = (await _app.Tokens.IssueAsync("alice")).AccessToken;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_query_string_token_authenticates_on_a_configured_path_and_leaves_the_app_the_other_parameters()
    {
        using var response = await _app.Client.GetAsync($"/hubs/chat?id=42&access_token={_token}&transport=ws");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("?id=42&transport=ws", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_query_string_token_elsewhere_is_ignored()
    {
        using var response = await _app.Client.GetAsync($"/me?access_token={_token}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Theory]
    [InlineData("access_token={token}&access_token={token}")]
    [InlineData("access_token=")]
    [InlineData("access_token={tampered}")]
    [InlineData("access%5Ftoken={tampered}")]
    public async Task A_bad_or_repeated_query_string_token_is_invalid_token(string query)
    {
        using var response = await _app.Client.GetAsync("/hubs/chat?" + query.Replace("{token}", _token).Replace("{tampered}", _token[..^4] + "AAAA"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task The_authorization_header_wins_over_the_query_string()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hubs/chat?access_token=garbage");
        request.Headers.Add("Authorization", "Bearer " + _token);

        using var response = await _app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Query_string_tokens_reach_neither_request_logging_nor_http_logging()
    {
        var sid = new JsonWebToken(_token).GetPayloadValue<string>(SessionOverJwtDefaults.SessionIdClaim);

        using var ok = await _app.Client.GetAsync($"/hubs/chat?id=7&access_token={_token}");
        using var bad = await _app.Client.GetAsync($"/hubs/chat?access_token={_token}&access_token={_token}");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var records = _app.Logs.GetSnapshot();
        Assert.Contains(records, r => r.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && r.Message.Contains("/hubs/chat?id=7", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Category == "Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware" && r.Message.Contains("QueryString: ?id=7", StringComparison.Ordinal));
        foreach (var record in records)
        {
            var text = record.Message + record.Exception + string.Join(';', record.StructuredState?.Select(s => s.Value) ?? []);
            Assert.DoesNotContain(_token.Split('.')[2], text, StringComparison.Ordinal);
            Assert.DoesNotContain(_token.Split('.')[1][..40], text, StringComparison.Ordinal);
            Assert.DoesNotContain(sid.Split('.')[1], text, StringComparison.Ordinal);
            Assert.DoesNotContain("access_token", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_context_factory_moves_the_parameter_out_of_the_query_string_and_the_raw_target()
    {
        var request = new HttpRequestFeature { Path = "/hubs/chat", QueryString = "?a=1&access%5Ftoken=x%2Ey&b=access_token", RawTarget = "/hubs/chat?a=1&access%5Ftoken=x%2Ey&b=access_token" };
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        var factory = new QueryStringTokenHttpContextFactory(new DefaultHttpContextFactory(new ServiceCollection().AddOptions().BuildServiceProvider()), ["/hubs"]);

        var context = factory.Create(features);

        Assert.Equal("?a=1&b=access_token", context.Request.QueryString.Value);
        Assert.Equal("/hubs/chat?a=1&b=access_token", request.RawTarget);
        Assert.Equal(new QueryStringTokenFeature("x.y", 1), context.Features.Get<QueryStringTokenFeature>());

        request.Path = "/other";
        request.QueryString = "?access_token=z";
        Assert.Null(factory.Create(features).Features.Get<QueryStringTokenFeature>());
        Assert.Equal("?access_token=z", request.QueryString);
    }

    [Fact]
    public async Task Without_query_string_paths_the_framework_keeps_its_own_context_factory()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));

        Assert.IsType<DefaultHttpContextFactory>(app.Services.GetRequiredService<IHttpContextFactory>());
    }
}
