namespace SessionKit.Mongo.Wire.Protocol;

/// <summary>
/// A frame the client cannot accept: wrong opCode, a length outside the negotiated limits, a bad checksum, an
/// unknown section kind, a reply to another request. The connection that produced it is closed, never reused.
/// </summary>
internal sealed class WireProtocolException : Exception
{
    public WireProtocolException(string message)
        : base(message)
    {
    }

    public WireProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WireProtocolException()
    {
    }
}
