using SessionKit.Mongo.Wire.Bson;
using SessionKit.Mongo.Wire.Connection;
using SessionKit.Mongo.Wire.Protocol;

namespace SessionKit.Mongo;

/// <summary>The validated, immutable form of <see cref="MongoSessionStoreOptions"/>.</summary>
internal sealed record MongoStoreSettings(MongoConnectionSettings Connection, string Database, string Collection, string LockCollection, BsonDocument? WriteConcern, TimeSpan LockLease)
{
    public const string DefaultDatabase = "sessionkit";

    public static MongoStoreSettings From(MongoSessionStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Validate(options) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var connection = MongoConnectionStringParser.Parse(options.ConnectionString);
        object? w = options.WriteConcern is { } text
            ? int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : text
            : connection.W;
        return new MongoStoreSettings(
            connection,
            options.Database ?? connection.Database ?? DefaultDatabase,
            options.Collection,
            options.LockCollection ?? options.Collection + "_locks",
            MongoCommands.WriteConcern(w, options.Journal ?? connection.Journal, options.WriteConcernTimeout ?? connection.WTimeout),
            options.SubjectLockLease);
    }

    /// <summary>The first problem with the options, or null when they are usable.</summary>
    public static string? Validate(MongoSessionStoreOptions options)
    {
        try
        {
            var connection = MongoConnectionStringParser.Parse(options.ConnectionString);
            if ((options.WriteConcern ?? connection.W?.ToString()) is "0")
            {
                return "Unacknowledged writes (w=0) are not allowed: the session store must know whether a write happened.";
            }
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }

        if (string.IsNullOrEmpty(options.Collection) || options.Collection.Contains('$', StringComparison.Ordinal))
        {
            return "Collection must be a non-empty name without '$'.";
        }

        return options.SubjectLockLease <= TimeSpan.Zero ? "SubjectLockLease must be positive." : null;
    }
}
