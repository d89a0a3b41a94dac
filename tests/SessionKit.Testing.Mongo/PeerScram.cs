using System.Security.Cryptography;
using System.Text;

namespace SessionKit.Testing.Mongo;

/// <summary>
/// The server side of SCRAM-SHA-1 and SCRAM-SHA-256 (RFC 5802 section 3, RFC 7677) for the peer: it checks the
/// driver's proof against the configured password and answers with the server signature the driver verifies.
/// Passwords in the tests are ASCII, so SASLprep leaves them unchanged.
/// </summary>
public sealed class PeerScram(string mechanism, string username, string password)
{
    private const int Iterations = 4096;
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _nonce;

    private bool Sha256 => mechanism == "SCRAM-SHA-256";

    public byte[] Start(byte[] clientFirst)
    {
        var text = Encoding.UTF8.GetString(clientFirst);
        _clientFirstBare = text["n,,".Length..];
        var clientNonce = _clientFirstBare.Split(",r=")[1];
        _nonce = clientNonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_salt)},i={Iterations}";
        return Encoding.UTF8.GetBytes(_serverFirst);
    }

    /// <summary>The server-final message, or null when the proof is wrong.</summary>
    public byte[]? Finish(byte[] clientFinal)
    {
        var text = Encoding.UTF8.GetString(clientFinal);
        var proofAt = text.LastIndexOf(",p=", StringComparison.Ordinal);
        var withoutProof = text[..proofAt];
        var proof = Convert.FromBase64String(text[(proofAt + 3)..]);
        var secret = Sha256 ? password : Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(username + ":mongo:" + password)));
        var hash = Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), _salt, Iterations, hash, Sha256 ? 32 : 20);
        var clientKey = Hmac(salted, "Client Key"u8.ToArray());
        var storedKey = Digest(clientKey);
        var serverKey = Hmac(salted, "Server Key"u8.ToArray());
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + _serverFirst + "," + withoutProof);
        var signature = Hmac(storedKey, authMessage);
        var recovered = proof.Select((b, i) => (byte)(b ^ signature[i])).ToArray();
        if (!withoutProof.EndsWith("r=" + _nonce, StringComparison.Ordinal) || !Digest(recovered).AsSpan().SequenceEqual(storedKey))
        {
            return null;
        }

        return Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(Hmac(serverKey, authMessage)));
    }

    private byte[] Hmac(byte[] key, byte[] data) => Sha256 ? HMACSHA256.HashData(key, data) : HMACSHA1.HashData(key, data);

    private byte[] Digest(byte[] data) => Sha256 ? SHA256.HashData(data) : SHA1.HashData(data);
}
