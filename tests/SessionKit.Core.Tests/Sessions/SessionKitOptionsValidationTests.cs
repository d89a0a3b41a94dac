using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SessionKit.Core.Tests.Sessions;

public sealed class SessionKitOptionsValidationTests
{
    public static TheoryData<Action<SessionKitOptions>, string> BadOptions => new()
    {
        { o => o.IdleTimeout = TimeSpan.Zero, "IdleTimeout must be positive" },
        { o => o.AbsoluteLifetime = TimeSpan.FromMinutes(-1), "AbsoluteLifetime must be positive" },
        { o => { o.IdleTimeout = TimeSpan.FromHours(2); o.AbsoluteLifetime = TimeSpan.FromHours(1); }, "must not exceed AbsoluteLifetime" },
        { o => o.TouchThreshold = 1.5, "TouchThreshold must be between 0 and 1" },
        { o => o.TouchThreshold = double.NaN, "TouchThreshold must be between 0 and 1" },
        { o => o.MaxSessionsPerSubject = -1, "MaxSessionsPerSubject must be 0" },
        { o => o.StoreTimeout = TimeSpan.Zero, "StoreTimeout must be positive" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_fail_with_a_message_that_says_how_to_fix_them(Action<SessionKitOptions> configure, string expected)
    {
        using var services = new ServiceCollection().AddLogging().AddSessionKit(configure).Services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SessionKitOptions>>().Value);

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_options_are_valid_and_use_the_in_memory_store()
    {
        using var services = new ServiceCollection().AddLogging().AddSessionKit().Services.BuildServiceProvider();

        Assert.NotNull(services.GetRequiredService<SessionManager>());
        Assert.IsType<SessionKit.InMemory.InMemorySessionStore>(services.GetRequiredService<ISessionStore>());
    }
}
