namespace SessionKit.Mongo.Wire.Connection;

/// <summary>
/// A connection string the client cannot use: malformed, or (when <see cref="IsUnsupported"/>) well-formed but asking
/// for a feature this small client does not implement (<c>mongodb+srv</c>, Unix sockets, other auth mechanisms, …).
/// An <see cref="ArgumentException"/>, so applications see a familiar type.
/// </summary>
internal sealed class MongoConnectionStringException : ArgumentException
{
    public MongoConnectionStringException(string message, bool isUnsupported = false)
        : base(message) => IsUnsupported = isUnsupported;

    public MongoConnectionStringException()
    {
    }

    public MongoConnectionStringException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public bool IsUnsupported { get; }

    public static MongoConnectionStringException Unsupported(string what)
        => new($"{what} is not supported by SessionKit.Mongo's built-in MongoDB client (see the package README for the supported features).", isUnsupported: true);
}
