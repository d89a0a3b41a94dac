using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace SessionKit.Sample.Tests;

/// <summary>
/// Bodies only a real server can send wrong, over raw sockets to the sample on Kestrel: oversized (413), malformed
/// chunked encoding and a body shorter than its Content-Length (400), a body sent too slowly (408) — all problem
/// details, never a 500. Kestrel's minimum body data rate is lowered to a two-second grace period so that the slow
/// case ends quickly; the rule is Kestrel's default otherwise. Every status the app sets is recorded too, for the case
/// where the client has gone before the answer.
/// </summary>
public sealed class KestrelRequestBodyTests : IAsyncLifetime
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(60);
    private readonly SampleAppFactory _factory = new();
    private readonly ConcurrentQueue<(string Path, int Status)> _statuses = new();
    private WebApplicationFactory<Program> _app = null!;
    private int _port;

    public static TheoryData<string> BodyEndpoints => ["/login", "/user", "/user/login"];

    public ValueTask InitializeAsync()
    {
        _app = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(
            services => services.AddSingleton<IStartupFilter>(new StatusRecorder(_statuses))));
        _app.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 100, gracePeriod: TimeSpan.FromSeconds(2));
        });
        _app.StartServer();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _port = new Uri(address).Port;
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task A_40_MB_body_announced_by_Content_Length_is_413_problem_details(string path)
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, Head(path, "Content-Length: 41943040") + "{\"username\":\"" + new string('a', 4096));

        var response = await ReadResponseAsync(socket);

        AssertProblem(response, 413);
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task A_40_MB_chunked_body_is_413_problem_details_once_it_passes_the_limit(string path)
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, Head(path, "Transfer-Encoding: chunked"));
        var chunk = Encoding.ASCII.GetBytes("1000\r\n" + new string('a', 0x1000) + "\r\n");
        var read = ReadResponseAsync(socket);
        try
        {
            // 10,240 chunks of 4 KiB = 40 MiB, unless the server answers (and stops reading) first.
            for (var i = 0; i < 10_240 && !read.IsCompleted; i++)
            {
                await socket.SendAsync(chunk);
            }
        }
        catch (SocketException)
        {
            // The server closed the connection after answering: the answer is what counts.
        }

        AssertProblem(await read, 413);
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task A_ten_megabyte_username_is_413_problem_details(string path)
    {
        using var socket = await ConnectAsync();
        var body = "{\"username\":\"" + new string('a', 10 * 1024 * 1024) + "\",\"password\":\"p\"}";
        var read = ReadResponseAsync(socket);
        try
        {
            await SendAsync(socket, Head(path, "Content-Length: " + body.Length) + body);
        }
        catch (SocketException)
        {
            // The server answered before reading the rest and closed the connection.
        }

        AssertProblem(await read, 413);
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task A_malformed_chunked_body_is_400_problem_details(string path)
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, Head(path, "Transfer-Encoding: chunked") + "zz\r\n{\"username\":\"root\"}\r\n0\r\n\r\n");

        AssertProblem(await ReadResponseAsync(socket), 400);
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task A_body_shorter_than_its_Content_Length_is_answered_400_never_500(string path)
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, Head(path, "Content-Length: 100") + "{\"username\":\"root\",");
        socket.Shutdown(SocketShutdown.Send);

        // Kestrel takes the client's end of input as a disconnect, so the 400 usually never reaches the client and
        // writing it fails: ASP.NET Core then records 499 (client closed request). Either way, never a 500.
        var response = await ReadResponseAsync(socket);
        if (response.Length > 0)
        {
            AssertProblem(response, 400);
        }

        Assert.Contains(await RecordedStatusAsync(path), new[] { 400, 499 });
    }

    [Fact]
    public async Task A_body_sent_slower_than_the_minimum_data_rate_is_408_problem_details()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, Head("/login", "Content-Length: 1000") + "{");
        var read = ReadResponseAsync(socket);
        try
        {
            for (var i = 0; i < 120 && !read.IsCompleted; i++)
            {
                await Task.Delay(500);
                await SendAsync(socket, " ");
            }
        }
        catch (SocketException)
        {
            // The server gave up on the body and closed the connection after answering.
        }

        AssertProblem(await read, 408);
    }

    private async Task<int> RecordedStatusAsync(string path)
    {
        var deadline = DateTime.UtcNow + ReadTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_statuses.FirstOrDefault(s => s.Path == path) is { Path: not null } recorded)
            {
                return recorded.Status;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The app recorded no status for " + path);
    }

    private static string Head(string path, string framing)
        => $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n{framing}\r\n\r\n";

    private static void AssertProblem(string response, int status)
    {
        Assert.True(response.StartsWith($"HTTP/1.1 {status} ", StringComparison.Ordinal), "Response: " + response);
        Assert.StartsWith($"HTTP/1.1 {status} ", response, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"\"status\":{status}", response, StringComparison.Ordinal);
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _port);
        return socket;
    }

    private static async Task SendAsync(Socket socket, string text) => await socket.SendAsync(Encoding.ASCII.GetBytes(text));

    /// <summary>Reads until the server closes the connection or a whole response (headers and Content-Length body) has arrived.</summary>
    private static async Task<string> ReadResponseAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (SocketException)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
            if (IsComplete(Encoding.ASCII.GetString(received.ToArray())))
            {
                break;
            }
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }

    private static bool IsComplete(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var headers = text[..end].Split("\r\n");
        if (headers.Any(h => h.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)))
        {
            return text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
        }

        var length = headers.FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length is not null && text.Length - end - 4 >= int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Records the status of every request as the app leaves it (outermost middleware).</summary>
    private sealed class StatusRecorder(ConcurrentQueue<(string Path, int Status)> statuses) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                try
                {
                    await nextMiddleware(context);
                }
                finally
                {
                    statuses.Enqueue((context.Request.Path.Value ?? "", context.Response.StatusCode));
                }
            });
            next(app);
        };
    }
}
