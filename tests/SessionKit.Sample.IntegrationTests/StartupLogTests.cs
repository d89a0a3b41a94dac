namespace SessionKit.Sample.IntegrationTests;

/// <summary>
/// At start-up the app logs which session store and which user database it uses — the only way a misspelled top-level
/// setting (say <c>--Stor redis</c>) shows — with endpoints and paths, never credentials.
/// </summary>
public sealed class StartupLogTests
{
    [Fact]
    public async Task Start_up_logs_the_store_endpoints_and_the_user_database_file_without_credentials()
    {
        var logs = new CapturingLoggerProvider();
        // The Redis store connects lazily: starting needs no server, and no request is made.
        await using var app = new SampleApp(new Dictionary<string, string?>
        {
            ["Store"] = "redis",
            ["ConnectionStrings:redis"] = "127.0.0.1:1,password=hunter2-redis",
        }, logs);
        _ = app.Server;

        var line = Assert.Single(logs.Entries, e => e.Contains("StartupReport", StringComparison.Ordinal));
        Assert.Contains("sessions: Redis at 127.0.0.1:1;", line, StringComparison.Ordinal);
        Assert.Contains("users: SQLite file " + Path.GetTempPath(), line, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_misspelled_store_key_shows_as_the_in_memory_store_in_the_start_up_log()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = new SampleApp(new Dictionary<string, string?> { ["Stor"] = "redis" }, logs);
        _ = app.Server;

        Assert.Single(logs.Entries, e => e.Contains("sessions: in-memory (this process only)", StringComparison.Ordinal));
    }
}
