using Microsoft.Data.Sqlite;
using Npgsql;

namespace SessionKit.Sample.Hosting;

/// <summary>
/// The sample's own top-level settings, read and checked once at start-up: <c>Store</c> (<c>memory</c>, <c>redis</c>,
/// <c>mongo</c>) with <c>ConnectionStrings:redis</c> / <c>ConnectionStrings:mongo</c>, and <c>Users</c>
/// (<c>sqlite</c>, <c>postgres</c>) with <c>ConnectionStrings:users</c>. A value that is not one of the choices fails
/// start-up with a message naming the key.
/// </summary>
internal sealed class SampleSettings
{
    public const string StoreKey = "Store";
    public const string UsersKey = "Users";
    public const string UsersConnectionName = "users";

    /// <summary>SQLite's default: a file in the current directory, which every instance started there shares.</summary>
    public const string DefaultSqliteConnection = "Data Source=sessionkit-users.db";

    private SampleSettings(SampleStore store, string? storeConnection, SampleUsersDatabase users, string usersConnection)
    {
        Store = store;
        StoreConnection = storeConnection;
        Users = users;
        UsersConnection = usersConnection;
    }

    public SampleStore Store { get; }

    /// <summary>The store's connection string; <see langword="null"/> for <see cref="SampleStore.Memory"/>.</summary>
    public string? StoreConnection { get; }

    public SampleUsersDatabase Users { get; }

    public string UsersConnection { get; }

    public static SampleSettings Load(IConfiguration configuration)
    {
        var store = Parse<SampleStore>(configuration, StoreKey, "memory (default), redis or mongo, e.g. --Store redis");
        var storeConnection = store switch
        {
            SampleStore.Redis => RequiredConnectionString(configuration, "redis", "localhost:6379"),
            SampleStore.Mongo => RequiredConnectionString(configuration, "mongo", "mongodb://localhost:27017/sessionkit"),
            _ => null,
        };

        var users = Parse<SampleUsersDatabase>(configuration, UsersKey, "sqlite (default) or postgres, e.g. --Users postgres");
        var usersConnection = configuration.GetConnectionString(UsersConnectionName) is { Length: > 0 } configured
            ? configured
            : users == SampleUsersDatabase.Sqlite
                ? DefaultSqliteConnection
                : throw new InvalidOperationException(
                    $"Users '{configuration[UsersKey]}' needs ConnectionStrings:{UsersConnectionName}, e.g. " +
                    $"--ConnectionStrings:{UsersConnectionName} \"Host=localhost;Database=sessionkit;Username=sessionkit\" (the password from the environment: ConnectionStrings__{UsersConnectionName}).");
        return new SampleSettings(store, storeConnection, users, usersConnection);
    }

    /// <summary>Where the sessions are, for the start-up log: endpoints only, never credentials.</summary>
    public string DescribeStore() => Store switch
    {
        SampleStore.Redis => "Redis at " + string.Join(", ", StoreConnection!.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0 && !p.Contains('=', StringComparison.Ordinal))),
        SampleStore.Mongo => "MongoDB at " + MongoHosts(StoreConnection!),
        _ => "in-memory (this process only)",
    };

    /// <summary>Where the users are, for the start-up log: the file or the server and database, never credentials.</summary>
    public string DescribeUsers()
    {
        try
        {
            if (Users == SampleUsersDatabase.Sqlite)
            {
                var source = new SqliteConnectionStringBuilder(UsersConnection).DataSource;
                return source == ":memory:" || source.Length == 0 ? "SQLite in memory" : "SQLite file " + Path.GetFullPath(source);
            }

            var postgres = new NpgsqlConnectionStringBuilder(UsersConnection);
            return $"PostgreSQL at {postgres.Host}:{postgres.Port}, database {postgres.Database ?? postgres.Username}";
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException($"ConnectionStrings:{UsersConnectionName} is not a valid {Users} connection string: {exception.Message}", exception);
        }
    }

    private static T Parse<T>(IConfiguration configuration, string key, string choices)
        where T : struct, Enum
    {
        var value = configuration[key];
        if (string.IsNullOrEmpty(value))
        {
            return default;
        }

        return Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _)
            ? parsed
            : throw new InvalidOperationException($"Unknown {key} '{value}'. Use {choices}.");
    }

    private static string RequiredConnectionString(IConfiguration configuration, string name, string example)
        => configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Store '{configuration[StoreKey]}' needs ConnectionStrings:{name} (e.g. --ConnectionStrings:{name} {example}).");

    private static string MongoHosts(string connectionString)
    {
        var rest = connectionString[(connectionString.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0 ? scheme + 3 : 0)..];
        var end = rest.IndexOfAny(['/', '?']);
        var authority = end >= 0 ? rest[..end] : rest;
        return authority[(authority.LastIndexOf('@') + 1)..];
    }
}
