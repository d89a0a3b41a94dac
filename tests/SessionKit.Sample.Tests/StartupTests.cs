using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using SessionKit.Sample.JwtScenario;

namespace SessionKit.Sample.Tests;

/// <summary>Start-up refuses unsafe or unavailable configuration, with a message that says what to do.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(SampleJwtSettings.DevelopmentSigningKey)]
    public void Outside_Development_start_up_refuses_a_missing_or_development_signing_key(string? key)
    {
        var error = StartupError("Production", ("Jwt:SigningKey", key));

        Assert.Contains("Jwt:SigningKey must be set to a secret outside Development", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_Development_start_up_accepts_a_configured_secret_key()
    {
        await using var app = Factory("Production", new StartupFailureLog(), ("Jwt:SigningKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        using var client = app.CreateClient();

        var token = await client.LoginForTokenAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.MemberAsync(token)).StatusCode);
    }

    [Fact]
    public void A_signing_key_shorter_than_32_bytes_is_refused()
    {
        var error = StartupError("Development", ("Jwt:SigningKey", Convert.ToBase64String(new byte[16])));

        Assert.Contains("HS256 needs at least 32 random bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mongo_connection_string_the_driver_cannot_parse_is_refused_at_start_up_with_its_message()
    {
        var error = StartupError("Development", ("Store", "mongo"), ("ConnectionStrings:mongo", "mongodb://localhost:notaport/sessionkit"));

        Assert.Contains("notaport", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_without_its_connection_string_is_refused_with_the_setting_to_add()
    {
        var error = StartupError("Development", ("Store", "redis"), ("ConnectionStrings:redis", ""));

        Assert.Contains("needs ConnectionStrings:redis", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_store_is_refused_with_the_valid_choices()
    {
        var error = StartupError("Development", ("Store", "postgres"));

        Assert.Contains("Use memory (default), redis or mongo", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SessionKit:IdelTimeout", "00:05:00", "IdelTimeout")]
    [InlineData("SessionKit:LocalCache:Enabeld", "true", "Enabeld")]
    [InlineData("RateLimiting:SignIn:PermitLimt", "5", "PermitLimt")]
    public void A_misspelled_setting_fails_start_up_naming_it(string key, string value, string misspelling)
    {
        var error = StartupError("Development", (key, value));

        Assert.Contains(misspelling, error, StringComparison.Ordinal);
        Assert.Contains("check its spelling", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelled_Redis_setting_fails_start_up_naming_it()
    {
        // The Redis store connects lazily: start-up fails on the setting, not on the unreachable server.
        var error = StartupError("Development", ("Store", "redis"), ("ConnectionStrings:redis", "127.0.0.1:1"), ("Redis:KeyPrefx", "app:"));

        Assert.Contains("KeyPrefx", error, StringComparison.Ordinal);
        Assert.Contains("'Redis'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelled_Mongo_setting_fails_start_up_naming_it()
    {
        var error = StartupError("Development", ("Store", "mongo"), ("ConnectionStrings:mongo", "mongodb://127.0.0.1:1/sessionkit"), ("Mongo:Colection", "s"));

        Assert.Contains("Colection", error, StringComparison.Ordinal);
        Assert.Contains("'Mongo'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Store", "redsi", "Unknown Store 'redsi'. Use memory (default), redis or mongo")]
    [InlineData("Store", "1", "Unknown Store '1'")]
    [InlineData("Users", "mysql", "Unknown Users 'mysql'. Use sqlite (default) or postgres")]
    public void An_unknown_top_level_choice_fails_start_up_naming_the_key_and_the_choices(string key, string value, string message)
    {
        var error = StartupError("Development", (key, value));

        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgreSQL_users_without_a_connection_string_are_refused_with_the_setting_to_add()
    {
        var error = StartupError("Development", ("Users", "postgres"), ("ConnectionStrings:users", ""));

        Assert.Contains("needs ConnectionStrings:users", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The error start-up fails with. The app runs its own start-up while the factory waits for it, and when start-up
    /// fails the app disposes its host: a factory that gets to the host's services after that throws
    /// ObjectDisposedException instead (a loaded machine makes it likely). The host has logged the error by then.
    /// </summary>
    private static string StartupError(string environment, params (string Key, string? Value)[] settings)
    {
        var log = new StartupFailureLog();
        using var app = Factory(environment, log, settings);
        var thrown = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        return thrown is ObjectDisposedException { ObjectName: "IServiceProvider" } && log.Failure is { } failure ? failure.ToString() : thrown.ToString();
    }

    private static WebApplicationFactory<Program> Factory(string environment, StartupFailureLog log, params (string Key, string? Value)[] settings)
        => new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseTestUsersDatabase();
            builder.ConfigureLogging(logging => logging.AddProvider(log));
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
}
