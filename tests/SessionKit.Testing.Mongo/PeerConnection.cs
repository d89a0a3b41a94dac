namespace SessionKit.Testing.Mongo;

/// <summary>Per-socket state of the peer: its connection id, the SCRAM conversation in progress and whether it authenticated.</summary>
public sealed class PeerConnection
{
    public int Id { get; set; }

    public PeerScram? Scram { get; set; }

    public bool Authenticated { get; set; }
}
