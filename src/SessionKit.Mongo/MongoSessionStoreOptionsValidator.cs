using System.Buffers;
using Microsoft.Extensions.Options;

namespace SessionKit.Mongo;

/// <summary>Checks the store options at start-up and says how to fix what is wrong.</summary>
internal sealed class MongoSessionStoreOptionsValidator(MongoClientSource source) : IValidateOptions<MongoSessionStoreOptions>
{
    private static readonly SearchValues<char> NotInDatabaseNames = SearchValues.Create("/\\. \"$\0");

    public ValidateOptionsResult Validate(string? name, MongoSessionStoreOptions options)
    {
        var failures = new List<string>();
        foreach (var (collection, property) in new[] { (options.CollectionName, nameof(options.CollectionName)), (options.SubjectCollectionName, nameof(options.SubjectCollectionName)) })
        {
            if (string.IsNullOrEmpty(collection) || collection.Contains('$', StringComparison.Ordinal) || collection.Contains('\0', StringComparison.Ordinal))
            {
                failures.Add($"MongoSessionStoreOptions.{property} must be a collection name: not empty, without '$' or NUL.");
            }
        }

        if (string.Equals(options.CollectionName, options.SubjectCollectionName, StringComparison.Ordinal))
        {
            failures.Add("MongoSessionStoreOptions.CollectionName and SubjectCollectionName must differ.");
        }

        if (options.DatabaseName is { } database && (database.Length == 0 || database.AsSpan().ContainsAny(NotInDatabaseNames)))
        {
            failures.Add("MongoSessionStoreOptions.DatabaseName must be null (the default) or a database name: not empty, without / \\ . space \" $ or NUL.");
        }

        if (options.SubjectLeaseDuration <= TimeSpan.Zero)
        {
            failures.Add("MongoSessionStoreOptions.SubjectLeaseDuration must be positive.");
        }

        if (source.Problem() is { } problem)
        {
            failures.Add(problem);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
