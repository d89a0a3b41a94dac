using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace SessionKit.Sample.IntegrationTests;

/// <summary>
/// One instance of the real sample app (WebApplicationFactory), configured like its command line would. Unless the
/// settings name a user database, the instance gets a SQLite file of its own (deleted with it); instances meant to share
/// users pass <see cref="UsersSettings"/> of the first one on.
/// </summary>
internal sealed class SampleApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly ILoggerProvider? _logs;
    private readonly string? _ownedDatabase;

    public SampleApp(IDictionary<string, string?> settings, ILoggerProvider? logs = null)
    {
        _settings = new Dictionary<string, string?>(settings);
        _logs = logs;
        if (!_settings.ContainsKey("ConnectionStrings:users"))
        {
            _ownedDatabase = Path.Combine(Path.GetTempPath(), "sessionkit-users-" + Guid.NewGuid().ToString("N") + ".db");
            _settings["Users"] = "sqlite";
            _settings["ConnectionStrings:users"] = "Data Source=" + _ownedDatabase;
        }

        // Tests sign in far more often than a person; the limiter has tests of its own.
        _settings.TryAdd("RateLimiting:SignIn:PermitLimit", "0");
    }

    /// <summary>The settings that point another instance at this instance's user database.</summary>
    public IDictionary<string, string?> UsersSettings => new Dictionary<string, string?>
    {
        ["Users"] = _settings.GetValueOrDefault("Users"),
        ["ConnectionStrings:users"] = _settings["ConnectionStrings:users"],
    };

    /// <summary>The sample on Redis, under a key prefix of its own so tests sharing a server never meet.</summary>
    public static SampleApp OnRedis(string connection, string keyPrefix, IDictionary<string, string?>? extra = null, ILoggerProvider? logs = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Store"] = "redis",
            ["ConnectionStrings:redis"] = connection,
            ["Redis:KeyPrefix"] = keyPrefix,
            // Functional tests on a loaded 2-core CI machine: outage behaviour is tested with short timeouts on purpose.
            ["SessionKit:StoreTimeout"] = "00:00:10",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new SampleApp(settings, logs);
    }

    /// <summary>A client that keeps no cookies of its own: tests pass the session cookie explicitly.</summary>
    public HttpClient CreateApiClient()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = false, AllowAutoRedirect = false });
        client.DefaultRequestHeaders.UserAgent.ParseAdd("SessionKit.IntegrationTests/1.0");
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        DeleteOwnedDatabase();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            if (_logs is not null)
            {
                logging.SetMinimumLevel(LogLevel.Trace);
                logging.AddProvider(_logs);
            }
        });
    }

    private void DeleteOwnedDatabase()
    {
        if (_ownedDatabase is null)
        {
            return;
        }

        foreach (var file in new[] { _ownedDatabase, _ownedDatabase + "-wal", _ownedDatabase + "-shm" })
        {
            File.Delete(file);
        }
    }
}
