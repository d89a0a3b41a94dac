using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SessionKit.Testing.Redis;

/// <summary>
/// One real <c>redis-server</c> process on a loopback port, without persistence. It can be stopped (killed, as in
/// an outage) and started again on the same port.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly string[] _extraArguments;
    private readonly string? _configurationFile;
    private readonly string _workingDirectory;
    private readonly bool _ownsWorkingDirectory;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>Prepares a server on <paramref name="port"/> (a free one when 0); call <see cref="StartAsync"/>.</summary>
    /// <param name="port">The port, or 0 for a free one.</param>
    /// <param name="workingDirectory">Where the server runs (cluster node files land here); a new temporary directory when null.</param>
    /// <param name="extraArguments">Further <c>redis-server</c> arguments, such as <c>--cluster-enabled yes</c>.</param>
    public RedisServerProcess(int port = 0, string? workingDirectory = null, params string[] extraArguments)
    {
        Port = port == 0 ? FreePort() : port;
        _ownsWorkingDirectory = workingDirectory is null;
        _workingDirectory = workingDirectory ?? Directory.CreateTempSubdirectory("sessionkit-redis-").FullName;
        _extraArguments = extraArguments;
    }

    /// <summary>
    /// Prepares a server started from a configuration file (as <c>redis-server file --sentinel</c> needs, since a
    /// sentinel rewrites its file); call <see cref="StartAsync"/>.
    /// </summary>
    /// <param name="configurationFile">The configuration file, passed first.</param>
    /// <param name="port">The port the file names.</param>
    /// <param name="workingDirectory">Where the server runs.</param>
    /// <param name="extraArguments">Further arguments, such as <c>--sentinel</c>.</param>
    public RedisServerProcess(string configurationFile, int port, string workingDirectory, params string[] extraArguments)
        : this(port, workingDirectory, extraArguments)
    {
        _configurationFile = configurationFile;
    }

    /// <summary>The process id while running (for signals sent by tests).</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string ConnectionString => "127.0.0.1:" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether the process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the server and waits until it answers PING.</summary>
    /// <returns>A task that completes when the server answers.</returns>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo(FindExecutable("redis-server"))
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments = _configurationFile is { } file
            ? [file, .. _extraArguments]
            : ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", .. _extraArguments];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (!await PingAsync().ConfigureAwait(false))
        {
            if (process.HasExited || deadline.Elapsed > StartTimeout)
            {
                await StopAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"redis-server on port {Port} did not answer PING. Output:\n{Output}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the server (no graceful shutdown: this simulates an outage) and waits for it to exit.</summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        process.Dispose();
    }

    /// <summary>
    /// Freezes the server with SIGSTOP: connections stay open but nothing is answered, as with a hung or
    /// overloaded server (clients must time out rather than fail fast). <see cref="ResumeAsync"/> undoes it.
    /// </summary>
    /// <returns>A task that completes when the signal was sent.</returns>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Resumes a server frozen by <see cref="PauseAsync"/> (SIGCONT).</summary>
    /// <returns>A task that completes when the signal was sent.</returns>
    public Task ResumeAsync() => SignalAsync("CONT");

    /// <summary>Runs <c>redis-cli</c> against this server and returns its standard output, trimmed.</summary>
    /// <param name="arguments">The command and its arguments, for example <c>MEMORY</c>, <c>USAGE</c>, <c>key</c>.</param>
    /// <returns>The output.</returns>
    public Task<string> CliAsync(params string[] arguments)
        => RunCliAsync(["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments]);

    /// <summary>
    /// Sends <paramref name="commands"/> (one per line) to this server through one <c>redis-cli</c> connection, so that
    /// connection-scoped commands such as <c>WAIT</c> see the writes before them.
    /// </summary>
    /// <param name="commands">The commands, one per line.</param>
    /// <returns>The output.</returns>
    public Task<string> CliOnOneConnectionAsync(string commands)
        => RunCliAsync(commands, ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>Runs <c>redis-cli</c> with the given arguments and returns its standard output, trimmed.</summary>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The output.</returns>
    public static Task<string> RunCliAsync(params string[] arguments) => RunCliAsync(null, arguments);

    private static async Task<string> RunCliAsync(string? input, string[] arguments)
    {
        var start = new ProcessStartInfo(FindExecutable("redis-cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start.");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error.ConfigureAwait(false)}");
        }

        return (await output.ConfigureAwait(false)).Trim();
    }

    /// <summary>What the server printed (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Stops the server and removes the temporary directory it ran in (when this instance created it).</summary>
    /// <returns>A task that completes when the server has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_ownsWorkingDirectory && Directory.Exists(_workingDirectory))
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
    }

    /// <summary>A TCP port that was free a moment ago on the loopback interface.</summary>
    /// <returns>The port.</returns>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("The server is not running.");
        using var kill = Process.Start(new ProcessStartInfo(FindExecutable("kill"), ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync().ConfigureAwait(false);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {process.Id} exited with {kill.ExitCode}.");
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            // A server that requires a password answers, too: with NOAUTH.
            var answer = Encoding.ASCII.GetString(buffer, 0, read);
            return answer.StartsWith("+PONG", StringComparison.Ordinal) || answer.StartsWith("-NOAUTH", StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string FindExecutable(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin").Append("/bin"))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{name} was not found on PATH. Install Debian's redis-server and redis-tools (./build.sh test does).");
    }
}
