using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SessionKit.Sample.Users;

namespace SessionKit.Sample.Tests;

/// <summary>Instances starting at once against one new SQLite file: exactly one creates and seeds it.</summary>
public sealed class UsersDatabaseInitializerTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "sessionkit-init-" + Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Initializations_racing_on_a_new_file_create_and_seed_it_once()
    {
        var instances = Enumerable.Range(0, 4).Select(_ => Contexts()).ToArray();

        await Task.WhenAll(instances.Select(contexts => Task.Run(() =>
            new UsersDatabaseInitializer(contexts, NullLogger<UsersDatabaseInitializer>.Instance).StartingAsync(CancellationToken.None))));

        await using var db = await instances[0].CreateDbContextAsync();
        Assert.Equal(["admin", "root"], (await db.Users.Select(u => u.Username).ToListAsync()).Order(StringComparer.Ordinal));
    }

    private IDbContextFactory<UsersDbContext> Contexts()
        => new ServiceCollection()
            .AddDbContextFactory<UsersDbContext>(o => o.UseSqlite("Data Source=" + _file))
            .BuildServiceProvider()
            .GetRequiredService<IDbContextFactory<UsersDbContext>>();
}
