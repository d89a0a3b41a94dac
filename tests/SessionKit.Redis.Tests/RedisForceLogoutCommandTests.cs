using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>
/// Runs the force-logout shell commands exactly as the package README documents them, so the documentation
/// cannot drift from the key layout.
/// </summary>
public sealed partial class RedisForceLogoutCommandTests(RedisServerFixture redis, RedisClusterFixture cluster)
    : IClassFixture<RedisServerFixture>, IClassFixture<RedisClusterFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_documented_one_user_command_revokes_that_users_sessions_only(bool onCluster)
    {
        var (configuration, port) = onCluster ? (cluster.ConnectionString, cluster.Nodes[0].Port) : (redis.ConnectionString, redis.Port);
        await using var store = CreateStore(configuration);
        var subject = "user " + Guid.NewGuid().ToString("N")[..8];
        var mine = new List<SessionRecord>();
        for (var i = 0; i < 2; i++)
        {
            mine.Add((await store.CreateAsync(TestSessions.New(subject), 0, CancellationToken.None)).Session);
        }

        var other = (await store.CreateAsync(TestSessions.New(), 0, CancellationToken.None)).Session;

        await BashAsync(Readme.Block("One user's sessions").Replace("PREFIX='sessionkit:'; SUBJECT='1042'", "", StringComparison.Ordinal), port, ("PREFIX", store.Keys.Prefix), ("SUBJECT", subject));

        Assert.Empty(await store.ListBySubjectAsync(subject, CancellationToken.None));
        foreach (var session in mine)
        {
            Assert.Null(await store.GetAsync(session.Key, CancellationToken.None));
        }

        Assert.NotNull(await store.GetAsync(other.Key, CancellationToken.None));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_documented_everyone_command_revokes_every_session_under_the_prefix(bool onCluster)
    {
        var (configuration, port) = onCluster ? (cluster.ConnectionString, cluster.Nodes[0].Port) : (redis.ConnectionString, redis.Port);
        await using var store = CreateStore(configuration);
        await using var otherApp = CreateStore(configuration);
        var sessions = new List<SessionRecord>();
        for (var i = 0; i < 10; i++)
        {
            sessions.Add((await store.CreateAsync(TestSessions.New(), 0, CancellationToken.None)).Session);
        }

        var otherAppsSession = (await otherApp.CreateAsync(TestSessions.New(), 0, CancellationToken.None)).Session;
        var script = Readme.Block(onCluster ? "On a cluster" : "Everyone")
            .Replace("PREFIX='sessionkit:'", "", StringComparison.Ordinal)
            .Replace("-h HOST -p PORT", "-h 127.0.0.1 -p " + port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

        await BashAsync(script, port, ("PREFIX", store.Keys.Prefix));

        foreach (var session in sessions)
        {
            Assert.Null(await store.GetAsync(session.Key, CancellationToken.None));
            Assert.Empty(await store.ListBySubjectAsync(session.Subject, CancellationToken.None));
        }

        Assert.NotNull(await otherApp.GetAsync(otherAppsSession.Key, CancellationToken.None));
    }

    private static RedisSessionStore CreateStore(string configuration) => RedisStores.Create(configuration, TimeProvider.System);

    /// <summary>
    /// Runs <paramref name="script"/> with bash; a <c>redis-cli</c> wrapper first on PATH points the documented
    /// commands (which name no server) at the test server and follows cluster redirections.
    /// </summary>
    private static async Task<string> BashAsync(string script, int port, params (string Name, string Value)[] variables)
    {
        var bin = Directory.CreateTempSubdirectory("sessionkit-cli-").FullName;
        var wrapper = Path.Combine(bin, "redis-cli");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec /usr/bin/redis-cli -c -p {port.ToString(CultureInfo.InvariantCulture)} \"$@\"\n");
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The documented commands are for a POSIX shell.");
        }

        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"bash exited with {process.ExitCode}: {await error}\n{script}");
        Directory.Delete(bin, recursive: true);
        return (await output).Trim();
    }

    private static partial class Readme
    {
        private static readonly Lazy<string> Text = new(() =>
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "src", "SessionKit.Redis", "README.md");
                if (File.Exists(candidate))
                {
                    return File.ReadAllText(candidate);
                }
            }

            throw new FileNotFoundException("src/SessionKit.Redis/README.md not found above the test directory.");
        });

        /// <summary>The first <c>sh</c> code block after the paragraph that starts with <paramref name="lead"/>.</summary>
        public static string Block(string lead)
        {
            var text = Text.Value;
            var at = text.IndexOf(lead, StringComparison.Ordinal);
            Assert.True(at >= 0, $"README has no paragraph '{lead}'.");
            var match = ShBlock().Match(text, at);
            Assert.True(match.Success, $"README has no sh block after '{lead}'.");
            return match.Groups[1].Value;
        }

        [GeneratedRegex("```sh\n(.*?)```", RegexOptions.Singleline)]
        private static partial Regex ShBlock();
    }
}
