using System.Diagnostics;
using System.Net;
using SessionKit.Mongo.Tests.Peer;
using SessionKit.Testing.Mongo;

namespace SessionKit.Mongo.Tests.Sample;

/// <summary>
/// The sample on the Mongo store while the server goes away and comes back: requests fail closed with 503 (never 401,
/// never authenticated) within the store timeout, and succeed again by themselves once the server is back.
/// </summary>
public sealed class MongoOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(2);

    // Generous bounds: the machine is shared and slow under load; what matters is "bounded", not the figure.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan HealWithin = TimeSpan.FromSeconds(30);
    private readonly WirePeer _peer = new WirePeer().AsReplicaSetPrimary();

    [Fact]
    public async Task An_unreachable_server_answers_503_within_the_store_timeout_and_the_app_heals_when_it_returns()
    {
        await using var app = SampleOnMongo.Start(_peer.ConnectionString("sessionkit"), StoreTimeout.ToString());
        using var client = app.CreateClient();
        var token = await SampleOnMongo.LoginAsync(client);
        Assert.Equal(HttpStatusCode.OK, await SampleOnMongo.MemberAsync(client, token));

        await _peer.StopAsync();
        for (var i = 0; i < 3; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await SampleOnMongo.SendAsync(client, HttpMethod.Get, "/member", token);
            var elapsed = Stopwatch.GetElapsedTime(started);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.Contains("Retry-After"));
            Assert.True(elapsed < StoreTimeout + Margin, $"503 after {elapsed.TotalMilliseconds:0} ms; the store timeout is {StoreTimeout.TotalMilliseconds:0} ms.");
        }

        _peer.Start();
        Assert.Equal(HttpStatusCode.OK, await UntilNot503Async(client, token));
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_gives_503_within_the_store_timeout()
    {
        await using var app = SampleOnMongo.Start(_peer.ConnectionString("sessionkit"), StoreTimeout.ToString());
        using var client = app.CreateClient();
        var token = await SampleOnMongo.LoginAsync(client);
        _peer.Fault = command => command.GetElement(0).Name == "find" ? new PeerFault.Silence() : null;

        var started = Stopwatch.GetTimestamp();
        var status = await SampleOnMongo.MemberAsync(client, token);
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.True(elapsed < StoreTimeout + Margin, $"503 after {elapsed.TotalMilliseconds:0} ms.");
        _peer.Fault = null;
        Assert.Equal(HttpStatusCode.OK, await UntilNot503Async(client, token));
    }

    [Fact]
    public async Task A_primary_that_steps_down_gives_503_until_it_is_primary_again()
    {
        await using var app = SampleOnMongo.Start(_peer.ConnectionString("sessionkit"), StoreTimeout.ToString());
        using var client = app.CreateClient();
        var token = await SampleOnMongo.LoginAsync(client);

        _peer.Commands.IsPrimary = false;
        using (var login = await client.PostAsync("/login", System.Net.Http.Json.JsonContent.Create(new { username = "root", password = "password" })))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
        }

        _peer.Commands.IsPrimary = true;
        Assert.Equal(HttpStatusCode.OK, await UntilNot503Async(client, token));
        await SampleOnMongo.LoginAsync(client);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _peer.DisposeAsync();

    private static async Task<HttpStatusCode> UntilNot503Async(HttpClient client, string token)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(HealWithin.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var status = await SampleOnMongo.MemberAsync(client, token);
            if (status != HttpStatusCode.ServiceUnavailable || Stopwatch.GetTimestamp() > deadline)
            {
                return status;
            }

            await Task.Delay(100);
        }
    }
}
