using System.Reflection;
using StackExchange.Redis;

namespace SessionKit.Redis.Tests;

public sealed class RedisClientVersionTests
{
    [Fact]
    public void The_tests_run_on_the_client_version_the_build_asked_for()
    {
        var client = typeof(ConnectionMultiplexer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        var requested = typeof(RedisClientVersionTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "RedisClientVersion")?.Value;

        // Without an override the tests run on the version SessionKit.Redis is compiled against (its minimum).
        Assert.StartsWith((requested ?? "2.13.23") + "+", client, StringComparison.Ordinal);
    }
}
