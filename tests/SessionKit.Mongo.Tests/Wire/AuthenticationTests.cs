using SessionKit.Mongo.Tests.Peer;
using SessionKit.Mongo.Wire.Auth;
using SessionKit.Mongo.Wire.Bson;

namespace SessionKit.Mongo.Tests.Wire;

/// <summary>SCRAM over the wire against the peer's server-side SCRAM, with mechanism negotiation.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private readonly WirePeer _peer = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _peer.DisposeAsync();

    [Theory]
    [InlineData(new[] { "SCRAM-SHA-256", "SCRAM-SHA-1" }, "SCRAM-SHA-256")]
    [InlineData(new[] { "SCRAM-SHA-1" }, "SCRAM-SHA-1")]
    public async Task The_client_negotiates_the_strongest_offered_mechanism_and_authenticates(string[] offered, string expected)
    {
        _peer.Commands.User = ("app", "s3cret pässword", offered);
        await using var client = ClientFaultTests.NewClient("app:s3cret%20p%C3%A4ssword@" + _peer.Address);

        await client.ReadAsync("admin", new BsonDocument().Add("ping", 1), CancellationToken.None);

        var hello = _peer.Received.First();
        Assert.Equal("admin.app", hello.GetString("saslSupportedMechs"));
        Assert.Equal(expected, _peer.Received.Single(c => c.Elements[0].Key == "saslStart").GetString("mechanism"));
    }

    [Fact]
    public async Task A_wrong_password_is_an_authentication_error_not_a_hang()
    {
        _peer.Commands.User = ("app", "right", ["SCRAM-SHA-256"]);
        await using var client = ClientFaultTests.NewClient("app:wrong@" + _peer.Address);

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.ReadAsync("admin", new BsonDocument().Add("ping", 1), CancellationToken.None));

        Assert.Contains("app", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_auth_source_decides_the_database_of_the_sasl_commands()
    {
        _peer.Commands.User = ("app", "pw", ["SCRAM-SHA-256"]);
        await using var client = ClientFaultTests.NewClient("app:pw@" + _peer.Address, "&authSource=users");

        await client.ReadAsync("admin", new BsonDocument().Add("ping", 1), CancellationToken.None);

        Assert.All(_peer.Received.Where(c => c.Elements[0].Key.StartsWith("sasl", StringComparison.Ordinal)), c => Assert.Equal("users", c.GetString("$db")));
    }
}
