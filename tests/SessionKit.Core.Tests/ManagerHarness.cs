using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SessionKit.InMemory;
using SessionKit.Testing;

namespace SessionKit.Core.Tests;

/// <summary>A SessionManager wired as AddSessionKit wires it, on a fake clock, with a counting store and captured logs.</summary>
internal sealed class ManagerHarness : IDisposable
{
    /// <summary>The authentication scheme the harness's sessions are issued for.</summary>
    public const string Scheme = "TestScheme";

    public ManagerHarness(Action<SessionKitOptions>? configure = null)
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        Inner = new InMemorySessionStore(Clock, TimeSpan.FromMinutes(1));
        Store = new CountingSessionStore(Inner);
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<ISessionStore>(Store);
        services.AddSessionKit(o =>
        {
            o.Events.OnCreated = c => Record("created", c);
            o.Events.OnRefreshed = c => Record("refreshed", c);
            o.Events.OnRotated = c => Record("rotated", c);
            o.Events.OnRevoked = c => Record("revoked:" + c.Reason, c);
            o.Events.OnExpired = c => Record("expired", c);
            configure?.Invoke(o);
        });
        Services = services.BuildServiceProvider(validateScopes: true);
        Manager = Services.GetRequiredService<SessionManager>();
        Admin = Services.GetRequiredService<SessionAdminService>();
    }

    public FakeTimeProvider Clock { get; }

    public InMemorySessionStore Inner { get; }

    public CountingSessionStore Store { get; }

    public ServiceProvider Services { get; }

    public SessionManager Manager { get; }

    public SessionAdminService Admin { get; }

    public List<string> Events { get; } = [];

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public Task<NewSession> SignInAsync(string subject = "alice", string[]? permissions = null, string? replaces = null)
        => Manager.CreateAsync(new SessionCreateRequest
        {
            Subject = subject,
            Scheme = Scheme,
            Claims = [new SessionClaim("name", subject)],
            Permissions = permissions ?? ["READ"],
            Client = new SessionClientInfo("198.51.100.1", "test-agent"),
            ReplacesSessionId = replaces,
        });

    public void Dispose()
    {
        Services.Dispose();
        Inner.Dispose();
    }

    private Task Record(string name, SessionEventContext context)
    {
        lock (Events)
        {
            Events.Add(name);
        }

        return Task.CompletedTask;
    }
}
