using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Hosting;

namespace SessionKit.Docs.Tests;

/// <summary>
/// The C# in README.md and every src/*/README.md compiles (one compilation for all blocks), and the Quick start runs as
/// pasted: with the key its README command makes, POST /login gives a token that GET /member accepts.
/// </summary>
public sealed class ReadmeCodeTests
{
    private static readonly Lazy<ReadmeCompilation> Compiled = new(() => ReadmeCompilation.Create(MarkdownCodeBlocks.All()));

    [Fact]
    public void Every_README_has_its_csharp_blocks_found()
    {
        var files = Compiled.Value.Blocks.Select(b => b.File).Distinct().Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["README.md", "src/SessionKit.Core/README.md", "src/SessionKit.Mongo/README.md", "src/SessionKit.Redis/README.md", "src/SessionKit.Testing/README.md"], files);
    }

    [Fact]
    public void Every_csharp_block_compiles_without_errors_or_warnings()
    {
        var diagnostics = Compiled.Value.Compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => $"{d.Location.GetMappedLineSpan().Path}:{d.Location.GetMappedLineSpan().StartLinePosition.Line + 1}: {d.Id} {d.GetMessage()}")
            .ToList();

        Assert.True(diagnostics.Count == 0, "README code does not compile:\n" + string.Join('\n', diagnostics));
    }

    [Fact]
    public async Task The_quick_start_runs_as_pasted_with_the_key_its_command_makes()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(MarkdownCodeBlocks.RepositoryRoot, "README.md"));
        Assert.Contains("dotnet user-secrets set Jwt:Key \"$(openssl rand -base64 32)\"", readme, StringComparison.Ordinal);
        var index = Compiled.Value.Blocks.ToList().FindIndex(b => b.File == "README.md" && b.Section == "Quick start");
        Assert.True(index >= 0, "README.md has a C# block under ## Quick start");
        var run = Entry(index);
        var port = FreePort();
        string[] args = ["--urls", $"http://127.0.0.1:{port}", "--environment", "Development", "--Jwt:Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))];

        using var hosts = new HostCapture();
        var app = Task.Factory.StartNew(() => ((Task)run.Invoke(null, [args])!).GetAwaiter().GetResult(), TaskCreationOptions.LongRunning);
        var host = await hosts.Built.WaitAsync(TimeSpan.FromSeconds(60));
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var login = await PostUntilListeningAsync(client, "/login");
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Equal("no-store", login.Headers.CacheControl?.ToString());
            var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("access_token").GetString()!;
            Assert.StartsWith("eyJ", token, StringComparison.Ordinal);

            using var anonymous = await client.GetAsync("/member");
            using var request = new HttpRequestMessage(HttpMethod.Get, "/member") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
            using var member = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal(HttpStatusCode.OK, member.StatusCode);
            Assert.Equal("Hello World!", await member.Content.ReadAsStringAsync());
        }
        finally
        {
            await host.StopAsync();
            await app.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    private static MethodInfo Entry(int index)
    {
        using var image = new MemoryStream();
        var emitted = Compiled.Value.Compilation.Emit(image);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics));
        image.Position = 0;
        // Resolves every reference from the test's own load context (the default one), where the same assemblies live.
        var assembly = new AssemblyLoadContext("readme-blocks", isCollectible: true).LoadFromStream(image);
        return assembly.GetType(ReadmeCompilation.ClassName(index), throwOnError: true)!.GetMethod("RunAsync", BindingFlags.Static | BindingFlags.NonPublic)!;
    }

    private static async Task<HttpResponseMessage> PostUntilListeningAsync(HttpClient client, string path)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await client.PostAsync(path, content: null);
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Catches the host a program builds, through the "HostBuilt" event the hosting library raises on its diagnostic
    /// listener (the event WebApplicationFactory uses to find the host of a top-level program), so the test can stop it.
    /// </summary>
    private sealed class HostCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly IDisposable _subscription;
        private readonly List<IDisposable> _listeners = [];

        public HostCapture() => _subscription = DiagnosticListener.AllListeners.Subscribe(this);

        public TaskCompletionSource<IHost> BuiltSource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<IHost> Built => BuiltSource.Task;

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                lock (_listeners)
                {
                    _listeners.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilt" && value.Value is IHost host)
            {
                BuiltSource.TrySetResult(host);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            _subscription.Dispose();
            lock (_listeners)
            {
                _listeners.ForEach(l => l.Dispose());
            }
        }
    }
}
