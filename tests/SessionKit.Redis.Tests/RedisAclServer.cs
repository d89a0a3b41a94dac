using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>
/// A real redis-server with a Redis 6+ ACL user allowed only what SessionKit needs (the package README lists it): the
/// commands below, on keys and channels under the test prefixes.
/// </summary>
public sealed class RedisAclServer : IAsyncLifetime
{
    public const string User = "sessionkit";

    /// <summary>
    /// What the store runs (its Lua scripts' commands included, which Redis checks too), the change feed's
    /// subscription, delete-all's SCAN, and the client's handshake.
    /// </summary>
    public static readonly string[] Commands =
    [
        "get", "eval", "evalsha", "publish", "subscribe", "unsubscribe", "scan", "unlink",
        "set", "del", "exists", "pexpireat", "pttl", "zadd", "zrange", "zrem",
        "ping", "echo", "hello", "client|setname", "info",
    ];

    private readonly string _password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly RedisServerProcess _server = new();

    public RedisServerProcess Server => _server;

    /// <summary>The configuration string, as the restricted user.</summary>
    public string ConnectionString => $"{_server.ConnectionString},user={User},password={_password}";

    public async ValueTask InitializeAsync()
    {
        await _server.StartAsync();
        await SetUserAsync(_server, User, _password, Commands);
    }

    /// <summary>Creates (or resets) an ACL user allowed <paramref name="commands"/> on keys and channels under <c>test-</c>.</summary>
    public static async Task SetUserAsync(RedisServerProcess server, string user, string password, IEnumerable<string> commands)
    {
        // redis-cli exits 0 on an error reply: check the answer, or a typo would leave the default user in charge.
        var answer = await server.CliAsync(["ACL", "SETUSER", user, "reset", "on", ">" + password, "~test-*", "&test-*", "-@all", .. commands.Select(c => "+" + c)]);
        Assert.Equal("OK", answer);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
