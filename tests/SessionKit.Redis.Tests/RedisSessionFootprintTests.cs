using System.Globalization;
using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

public sealed class RedisSessionFootprintTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    private const long BudgetBytes = 300;

    [Fact]
    public async Task A_session_with_three_permissions_takes_at_most_300_bytes_of_redis_memory()
    {
        await using var store = RedisStores.Create(redis.ConnectionString, TimeProvider.System);
        var record = TypicalSession("1042", userAgent: null);
        record = (await store.CreateAsync(record, 0, CancellationToken.None)).Session;

        var bytes = await MemoryUsageAsync(store, record);

        output.WriteLine($"MEMORY USAGE of one session record (3 permissions, name claim, IP, no user agent): {bytes} bytes");
        Assert.InRange(bytes, 1, BudgetBytes);
    }

    [Fact]
    public async Task A_browser_user_agent_adds_about_its_length()
    {
        await using var store = RedisStores.Create(redis.ConnectionString, TimeProvider.System);
        const string agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        var without = TypicalSession("1042", userAgent: null);
        var with = TypicalSession("1042", agent);
        without = (await store.CreateAsync(without, 0, CancellationToken.None)).Session;
        with = (await store.CreateAsync(with, 0, CancellationToken.None)).Session;

        var withoutBytes = await MemoryUsageAsync(store, without);
        var withBytes = await MemoryUsageAsync(store, with);
        var index = long.Parse(await redis.CliAsync("MEMORY", "USAGE", store.Keys.Index(with.Key.Partition, "1042"), "SAMPLES", "0"), CultureInfo.InvariantCulture);

        output.WriteLine($"Session with a {agent.Length}-character user agent: {withBytes} bytes; subject index holding 2 sessions: {index} bytes");
        // jemalloc rounds allocations up to size classes, so the growth is the agent's length plus at most one class step.
        Assert.InRange(withBytes - withoutBytes, agent.Length, agent.Length + 64);
    }

    private async Task<long> MemoryUsageAsync(RedisSessionStore store, SessionRecord record)
        => long.Parse(await redis.CliAsync("MEMORY", "USAGE", store.Keys.Session(record.Key), "SAMPLES", "0"), CultureInfo.InvariantCulture);

    private static SessionRecord TypicalSession(string subject, string? userAgent)
        => TestSessions.New(subject) with
        {
            Claims = [new SessionClaim("name", "john.doe@email.com")],
            Client = new SessionClientInfo("203.0.113.7", userAgent),
        };
}
