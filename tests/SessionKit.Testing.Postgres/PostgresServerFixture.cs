using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SessionKit.Testing.Postgres;

/// <summary>
/// An xunit fixture running one real PostgreSQL server (Debian's <c>postgresql</c> package: <c>initdb</c> and
/// <c>pg_ctl</c>) in a temporary data directory, on a free loopback port, for the lifetime of a test class. PostgreSQL
/// refuses to run as root, so when the tests run as root the server runs as the <c>postgres</c> system user (through
/// <c>runuser</c>). Durability is off (<c>fsync=off</c>): the data directory is thrown away afterwards.
/// </summary>
/// <remarks>Tests sharing the fixture isolate their data with a database each (<see cref="CreateDatabaseAsync"/>).</remarks>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private const string SystemUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly string _root = Directory.CreateTempSubdirectory("sessionkit-postgres-").FullName;
    private bool _started;

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; } = FreePort();

    /// <summary>A connection string for <paramref name="database"/> as the superuser <c>postgres</c> (trust authentication on loopback: no password).</summary>
    /// <param name="database">The database.</param>
    /// <returns>The Npgsql connection string.</returns>
    public string ConnectionString(string database = "postgres")
        => new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ConnectionString;

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    /// <returns>The new database's connection string.</returns>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "test_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return ConnectionString(name);
    }

    /// <summary>Runs one SQL statement and returns the first column of the first row.</summary>
    /// <param name="connectionString">The database's connection string (from <see cref="CreateDatabaseAsync"/>).</param>
    /// <param name="sql">The statement.</param>
    /// <returns>The scalar result.</returns>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var bin = BinDirectory();
        var data = Path.Combine(_root, "data");
        if (RunsAsRoot)
        {
            await RunAsync("chown", [SystemUser + ":", _root], asServerUser: false).ConfigureAwait(false);
        }

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asServerUser: true)
            .ConfigureAwait(false);
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(_root, "server.log"), "-o", options, "-w", "-t", "90", "start"], asServerUser: true)
            .ConfigureAwait(false);
        _started = true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_started)
            {
                NpgsqlConnection.ClearAllPools();
                await RunAsync(Path.Combine(BinDirectory(), "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"], asServerUser: true)
                    .ConfigureAwait(false);
            }
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static bool RunsAsRoot => Environment.IsPrivilegedProcess;

    /// <summary>Debian installs the server binaries outside PATH, under /usr/lib/postgresql/&lt;major&gt;/bin; the newest is used.</summary>
    private static string BinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var major) ? major : 0).ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0]
            : throw new InvalidOperationException("PostgreSQL's initdb was not found under /usr/lib/postgresql/*/bin. Install Debian's postgresql (./build.sh test does).");
    }

    private static async Task RunAsync(string executable, string[] arguments, bool asServerUser)
    {
        var start = RunsAsRoot && asServerUser
            ? new ProcessStartInfo("runuser", ["-u", SystemUser, "--", executable, .. arguments])
            : new ProcessStartInfo(executable, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        // The server inherits this working directory; the postgres user may not be able to enter the test's own.
        start.WorkingDirectory = "/";
        using var process = Process.Start(start) ?? throw new InvalidOperationException(executable + " did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{executable} did not finish within {CommandTimeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{executable} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output.ConfigureAwait(false)} {await error.ConfigureAwait(false)}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
