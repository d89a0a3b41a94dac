using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace SessionKit.Sample.Tests;

/// <summary>
/// <c>./build.sh sample</c> runs the sample in the environment its caller sets: the launch profile (which pins
/// Development for <c>dotnet run</c>) does not override <c>ASPNETCORE_ENVIRONMENT</c>. The sample is already built by
/// the test run, so <c>dotnet run</c> only checks it is up to date.
/// </summary>
public sealed class BuildScriptTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_sample_command_runs_in_Production_when_the_caller_says_so()
    {
        var database = Path.Combine(Path.GetTempPath(), "sessionkit-users-" + Guid.NewGuid().ToString("N") + ".db");
        var start = new ProcessStartInfo("bash", [
            Path.Combine(RepositoryRoot(), "build.sh"), "sample",
            "--urls", $"http://127.0.0.1:{FreePort()}",
            "--Jwt:SigningKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            "--ConnectionStrings:users", "Data Source=" + database,
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Observe(e.Data);
        process.ErrorDataReceived += (_, e) => Observe(e.Data);
        process.Exited += (_, _) => started.TrySetResult("exited");
        process.EnableRaisingEvents = true;
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var line = await started.Task.WaitAsync(StartTimeout);

            Assert.True(line.Contains("Environment Production;", StringComparison.Ordinal), "output:\n" + string.Join('\n', output));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            foreach (var file in new[] { database, database + "-wal", database + "-shm" })
            {
                File.Delete(file);
            }
        }

        void Observe(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            if (line.Contains("Environment ", StringComparison.Ordinal) && line.Contains("sessions:", StringComparison.Ordinal))
            {
                started.TrySetResult(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SessionKit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SessionKit.sln not found above " + AppContext.BaseDirectory);
    }
}
