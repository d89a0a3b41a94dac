using Microsoft.Extensions.Options;

namespace SessionKit.Mongo;

/// <summary>Checks the store options at start-up and reports the first problem in words (e.g. an unsupported connection-string option).</summary>
internal sealed class MongoSessionStoreOptionsValidator : IValidateOptions<MongoSessionStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, MongoSessionStoreOptions options)
        => MongoStoreSettings.Validate(options) is { } problem
            ? ValidateOptionsResult.Fail("SessionKit.Mongo: " + problem)
            : ValidateOptionsResult.Success;
}
