namespace SessionKit.Testing.Redis;

/// <summary>
/// An xunit fixture running one real <c>redis-server</c> on a free loopback port for the lifetime of a test class
/// (or collection). <see cref="StopAsync"/> and <see cref="StartAsync"/> simulate an outage on the same port.
/// </summary>
/// <remarks>Tests sharing the fixture isolate their data with unique key prefixes.</remarks>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private readonly RedisServerProcess _server = new();

    /// <summary>The loopback port the server listens on.</summary>
    public int Port => _server.Port;

    /// <summary>A StackExchange.Redis configuration string for the server.</summary>
    public string ConnectionString => _server.ConnectionString;

    /// <summary>Whether the server is running.</summary>
    public bool IsRunning => _server.IsRunning;

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on the same port.</summary>
    /// <returns>A task that completes when the server answers PING.</returns>
    public Task StartAsync() => _server.StartAsync();

    /// <summary>Kills the server, as an outage would.</summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public Task StopAsync() => _server.StopAsync();

    /// <summary>Freezes the server (SIGSTOP): connections stay open, nothing is answered.</summary>
    /// <returns>A task that completes when the signal was sent.</returns>
    public Task PauseAsync() => _server.PauseAsync();

    /// <summary>Resumes a server frozen by <see cref="PauseAsync"/>.</summary>
    /// <returns>A task that completes when the signal was sent.</returns>
    public Task ResumeAsync() => _server.ResumeAsync();

    /// <summary>Runs <c>redis-cli</c> against the server.</summary>
    /// <param name="arguments">The command and its arguments.</param>
    /// <returns>The trimmed output.</returns>
    public Task<string> CliAsync(params string[] arguments) => _server.CliAsync(arguments);

    /// <inheritdoc />
    public ValueTask InitializeAsync() => new(_server.StartAsync());

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
