namespace SessionKit.Mongo.Wire.Auth;

/// <summary>Authentication with the server failed (wrong credentials, server error code 18, or a SCRAM protocol violation).</summary>
internal sealed class MongoAuthenticationException : Exception
{
    public MongoAuthenticationException(string message)
        : base(message)
    {
    }

    public MongoAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MongoAuthenticationException()
    {
    }
}
