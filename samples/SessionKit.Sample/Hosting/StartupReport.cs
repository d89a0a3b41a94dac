namespace SessionKit.Sample.Hosting;

/// <summary>
/// Logs, once the app has started, which session store and which user database it uses (endpoints and file paths,
/// never credentials): a misspelled top-level setting cannot be told from any other, so this line is how one shows.
/// </summary>
internal sealed partial class StartupReport(SampleSettings settings, IHostEnvironment environment, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarted(logger, environment.EnvironmentName, settings.DescribeStore(), settings.DescribeUsers());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, EventName = "SampleStarted", Level = LogLevel.Information,
        Message = "Environment {Environment}; sessions: {Store}; users: {Users}.")]
    private static partial void LogStarted(ILogger logger, string environment, string store, string users);
}
