using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SessionKit.Sample.Tests;

/// <summary>
/// Gives a sample app under test a SQLite user database of its own (a new file, freshly seeded: admin is id 1, root id
/// 2, the next user id 3) and deletes the file when the app stops. Also turns the sign-in rate limit off: tests sign in
/// far more often than a person, and the limiter has tests of its own.
/// </summary>
internal static class TestUsersDatabase
{
    public static IWebHostBuilder UseTestUsersDatabase(this IWebHostBuilder builder)
    {
        var path = Path.Combine(Path.GetTempPath(), "sessionkit-users-" + Guid.NewGuid().ToString("N") + ".db");
        builder.UseSetting("Users", "sqlite");
        builder.UseSetting("ConnectionStrings:users", "Data Source=" + path);
        builder.UseSetting("RateLimiting:SignIn:PermitLimit", "0");
        return builder.ConfigureServices(services => services.AddHostedService(_ => new DeleteOnStop(path)));
    }

    private sealed class DeleteOnStop(string path) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            return Task.CompletedTask;
        }
    }
}
