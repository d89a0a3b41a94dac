using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SessionKit.Testing.Redis;
using StackExchange.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>
/// TLS through the configuration: a real redis-server listening with TLS (a certificate made for the test by openssl),
/// reached with <c>ssl=true</c> and <see cref="RedisSessionStoreOptions.ConfigurationOptions"/> trusting that certificate
/// (a setting without a string form) and an ACL user.
/// </summary>
public sealed class RedisTlsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sessionkit-tls-").FullName;
    private readonly int _tlsPort = RedisServerProcess.FreePort();
    private RedisServerProcess? _server;

    public async ValueTask InitializeAsync()
    {
        await RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", Path.Combine(_directory, "key.pem"), "-out", Path.Combine(_directory, "cert.pem"));
        _server = new RedisServerProcess(0, _directory,
            "--tls-port", _tlsPort.ToString(CultureInfo.InvariantCulture),
            "--tls-cert-file", Path.Combine(_directory, "cert.pem"),
            "--tls-key-file", Path.Combine(_directory, "key.pem"),
            "--tls-ca-cert-file", Path.Combine(_directory, "cert.pem"),
            "--tls-auth-clients", "no");
        await _server.StartAsync();
        await RedisAclServer.SetUserAsync(_server, RedisAclServer.User, "tls-pw", RedisAclServer.Commands);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_store_works_over_TLS_as_an_ACL_user()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{_tlsPort.ToString(CultureInfo.InvariantCulture)},ssl=true,sslHost=localhost,user={RedisAclServer.User},password=tls-pw");
        options.TrustIssuer(Path.Combine(_directory, "cert.pem"));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSessionKit().AddRedisStore(o =>
        {
            o.ConfigurationOptions = options;
            o.KeyPrefix = RedisStores.NewPrefix();
        });
        await using var provider = services.BuildServiceProvider();
        // The TLS handshake of the first connection is not bounded by the store timeout this test runs with.
        await RedisStores.ConnectedAsync(provider.GetRequiredService<RedisSessionStore>());
        var sessions = provider.GetRequiredService<SessionManager>();

        var created = await sessions.CreateAsync(new SessionCreateRequest { Scheme = "S", Subject = "erin", Permissions = ["READ"] });
        Assert.True((await sessions.ValidateAsync(created.Id, "S")).IsValid);
        Assert.True(await sessions.RevokeAsync(created.Id));
        Assert.False((await sessions.ValidateAsync(created.Id, "S")).IsValid);
        // The store's connection is the ACL user's, on the TLS port.
        var clients = (await _server!.CliAsync("CLIENT", "LIST")).Split('\n');
        Assert.Contains(clients, c => c.Contains(" user=" + RedisAclServer.User + " ", StringComparison.Ordinal)
            && c.Contains("laddr=127.0.0.1:" + _tlsPort.ToString(CultureInfo.InvariantCulture) + " ", StringComparison.Ordinal));
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true }) ?? throw new InvalidOperationException(file + " did not start.");
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} failed: {await error}");
    }
}
