using System.Diagnostics;

namespace SessionKit.Sample.Tests;

/// <summary>
/// <c>./build.sh sample</c> runs the sample in the environment its caller sets. <c>dotnet run</c> applies the launch
/// profile, whose <c>ASPNETCORE_ENVIRONMENT=Development</c> overrides the caller's, unless it is told
/// <c>--no-launch-profile</c>; the script must say so and supply the profile's defaults itself. A stand-in
/// <c>dotnet</c> on PATH records what the script runs, so the test takes milliseconds instead of a build check.
/// </summary>
public sealed class BuildScriptTests : IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("sessionkit-fake-dotnet-").FullName;

    public BuildScriptTests()
    {
        var fake = Path.Combine(_bin, "dotnet");
        File.WriteAllText(fake, "#!/bin/sh\nprintf 'ENV=%s\\nURLS=%s\\n' \"$ASPNETCORE_ENVIRONMENT\" \"$ASPNETCORE_URLS\"\nfor a in \"$@\"; do printf 'ARG=%s\\n' \"$a\"; done\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task The_sample_command_runs_without_the_launch_profile_in_the_callers_environment()
    {
        var lines = await RunSampleCommandAsync(("ASPNETCORE_ENVIRONMENT", "Production"), ("ASPNETCORE_URLS", "http://127.0.0.1:6000"));

        Assert.Contains("ENV=Production", lines);
        Assert.Contains("URLS=http://127.0.0.1:6000", lines);
        Assert.Contains("ARG=--no-launch-profile", lines);
        Assert.Equal(["ARG=--", "ARG=--Store", "ARG=redis"], lines.SkipWhile(l => l != "ARG=--").ToArray());
    }

    [Fact]
    public async Task The_sample_command_defaults_to_Development_on_port_5080_like_the_launch_profile()
    {
        var lines = await RunSampleCommandAsync(("ASPNETCORE_ENVIRONMENT", null), ("ASPNETCORE_URLS", null));

        Assert.Contains("ENV=Development", lines);
        Assert.Contains("URLS=http://localhost:5080", lines);
        Assert.Contains("ARG=--no-launch-profile", lines);
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    private async Task<string[]> RunSampleCommandAsync(params (string Name, string? Value)[] environment)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot(), "build.sh"), "sample", "--Store", "redis"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PATH"] = _bin + Path.PathSeparator + start.Environment["PATH"];
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(process.ExitCode == 0, await error);
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
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
