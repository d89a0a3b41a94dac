using System.Security.Cryptography;
using System.Text;
using SessionKit.Mongo.Wire.Auth;

namespace SessionKit.Mongo.Tests.Peer;

/// <summary>The server side of SCRAM (RFC 5802 section 3), so the peer can accept or refuse a client's proof.</summary>
internal sealed class PeerScram(ScramMechanism mechanism, string username, string password)
{
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);
    private const int Iterations = 4096;
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _nonce;

    public string Mechanism => mechanism.Name;

    public byte[] Start(byte[] clientFirst)
    {
        var text = Encoding.UTF8.GetString(clientFirst);
        _clientFirstBare = text["n,,".Length..];
        var clientNonce = _clientFirstBare.Split(",r=")[1];
        _nonce = clientNonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_salt)},i={Iterations}";
        return Encoding.UTF8.GetBytes(_serverFirst);
    }

    /// <summary>Returns the server-final message, or null when the proof is wrong.</summary>
    public byte[]? Finish(byte[] clientFinal)
    {
        var text = Encoding.UTF8.GetString(clientFinal);
        var proofAt = text.LastIndexOf(",p=", StringComparison.Ordinal);
        var withoutProof = text[..proofAt];
        var proof = Convert.FromBase64String(text[(proofAt + 3)..]);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(mechanism.PreparePassword(username, password)), _salt, Iterations, mechanism.Hash, mechanism.HashLength);
        var clientKey = mechanism.Hmac(salted, "Client Key"u8.ToArray());
        var storedKey = mechanism.Digest(clientKey);
        var serverKey = mechanism.Hmac(salted, "Server Key"u8.ToArray());
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + _serverFirst + "," + withoutProof);
        var signature = mechanism.Hmac(storedKey, authMessage);
        var recovered = proof.Select((b, i) => (byte)(b ^ signature[i])).ToArray();
        if (!withoutProof.EndsWith("r=" + _nonce, StringComparison.Ordinal) || !mechanism.Digest(recovered).AsSpan().SequenceEqual(storedKey))
        {
            return null;
        }

        return Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(mechanism.Hmac(serverKey, authMessage)));
    }
}
