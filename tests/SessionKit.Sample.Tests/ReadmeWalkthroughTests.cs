using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace SessionKit.Sample.Tests;

/// <summary>
/// The sample README's console blocks, run as written: every <c>$ </c> command (with its <c>\</c> continuations) in one
/// bash session, in order, against the sample on Kestrel at a free port (standing in for http://localhost:5080), each
/// output compared with the lines the README shows under it — <c>…</c> standing for any text.
/// </summary>
public sealed class ReadmeWalkthroughTests : IAsyncLifetime
{
    private const string Separator = "@@end-of-command@@";
    private readonly SampleAppFactory _app = new();
    private string _address = null!;

    public ValueTask InitializeAsync()
    {
        _app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app.StartServer();
        _address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_sample_READMEs_curl_walkthrough_gives_exactly_the_outputs_it_shows()
    {
        var steps = Steps(await File.ReadAllLinesAsync(Path.Combine(RepositoryRoot(), "samples", "SessionKit.Sample", "README.md")));
        Assert.True(steps.Count >= 12, $"the README's console blocks hold the walkthrough ({steps.Count} commands found)");

        var outputs = await RunAsync(steps.Select(s => s.Command.Replace("http://localhost:5080", _address.TrimEnd('/'), StringComparison.Ordinal)));

        Assert.Equal(steps.Count, outputs.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var actual = outputs[i].TrimEnd('\n').Split('\n').Where(l => l.Length > 0).ToArray();
            var expected = steps[i].Output;
            Assert.True(
                actual.Length == expected.Count && actual.Zip(expected).All(pair => Matches(pair.Second, pair.First)),
                $"README line {steps[i].Line}: $ {steps[i].Command}\nexpected:\n{string.Join('\n', expected)}\nactual:\n{string.Join('\n', actual)}");
        }
    }

    private static bool Matches(string expected, string actual)
        => Regex.IsMatch(actual, "^" + string.Join(".*", expected.Split('…').Select(Regex.Escape)) + "$", RegexOptions.Singleline);

    private static List<(int Line, string Command, List<string> Output)> Steps(string[] lines)
    {
        var steps = new List<(int, string, List<string>)>();
        var inConsole = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inConsole = !inConsole && line.Trim() == "```console";
                continue;
            }

            if (!inConsole || !line.StartsWith("$ ", StringComparison.Ordinal))
            {
                continue;
            }

            var start = i + 1;
            var command = new StringBuilder(line[2..]);
            while (command.ToString().EndsWith('\\'))
            {
                command.Length--;
                command.Append(' ').Append(lines[++i].Trim());
            }

            var output = new List<string>();
            while (i + 1 < lines.Length && lines[i + 1].Length > 0 && !lines[i + 1].StartsWith("$ ", StringComparison.Ordinal) && !lines[i + 1].StartsWith("```", StringComparison.Ordinal))
            {
                output.Add(lines[++i]);
            }

            steps.Add((start, command.ToString(), output));
        }

        return steps;
    }

    private static async Task<List<string>> RunAsync(IEnumerable<string> commands)
    {
        var script = string.Concat(commands.Select(c => $"{c}\nprintf '\\n{Separator}\\n'\n"));
        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, "bash: " + await error);
        return [.. (await output).Split($"\n{Separator}\n").SkipLast(1)];
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
