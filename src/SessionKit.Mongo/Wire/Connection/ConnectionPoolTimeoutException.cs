namespace SessionKit.Mongo.Wire.Connection;

/// <summary>Every pooled connection to a server stayed busy for waitQueueTimeoutMS: the server is fine, the client is saturated.</summary>
internal sealed class ConnectionPoolTimeoutException : TimeoutException
{
    public ConnectionPoolTimeoutException(string message)
        : base(message)
    {
    }

    public ConnectionPoolTimeoutException()
    {
    }

    public ConnectionPoolTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
