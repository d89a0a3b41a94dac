using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SessionKit.Mongo.Wire.Auth;

/// <summary>
/// The client side of one SCRAM exchange (RFC 5802): client-first, then client-final from the server-first, then
/// verification of the server's signature. Pure computation, no I/O, so it can be checked against published
/// conversations byte for byte.
/// </summary>
internal sealed class ScramConversation
{
    private const int MinimumIterations = 4096;
    private readonly ScramMechanism _mechanism;
    private readonly string _password;
    private readonly string _clientNonce;
    private readonly string _clientFirstBare;
    private byte[]? _expectedServerSignature;

    /// <param name="mechanism">SHA-256 or SHA-1.</param>
    /// <param name="username">The raw user name (MongoDB does not SASLprep it).</param>
    /// <param name="preparedPassword">The password exactly as fed to Hi() (see <see cref="ScramMechanism.PreparePassword"/>).</param>
    /// <param name="clientNonce">The client nonce; null draws 24 random bytes from the OS CSPRNG.</param>
    public ScramConversation(ScramMechanism mechanism, string username, string preparedPassword, string? clientNonce = null)
    {
        _mechanism = mechanism;
        _password = preparedPassword;
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var escapedUser = username.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);
        _clientFirstBare = "n=" + escapedUser + ",r=" + _clientNonce;
    }

    /// <summary>The client-first message: no channel binding (<c>n,,</c>).</summary>
    public byte[] ClientFirst() => Encoding.UTF8.GetBytes("n,," + _clientFirstBare);

    /// <summary>Checks the server-first message and answers with the client-final message (carrying the proof).</summary>
    public byte[] ClientFinal(ReadOnlySpan<byte> serverFirstBytes)
    {
        var serverFirst = Encoding.UTF8.GetString(serverFirstBytes);
        var fields = Parse(serverFirst);
        var nonce = fields.GetValueOrDefault('r') ?? throw Fail("the server-first message has no nonce");
        if (!nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length)
        {
            throw Fail("the server nonce does not extend the client nonce");
        }

        var salt = Convert.FromBase64String(fields.GetValueOrDefault('s') ?? throw Fail("the server-first message has no salt"));
        if (!int.TryParse(fields.GetValueOrDefault('i'), NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < MinimumIterations)
        {
            throw Fail($"the iteration count is missing or below {MinimumIterations}");
        }

        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_password), salt, iterations, _mechanism.Hash, _mechanism.HashLength);
        var clientKey = _mechanism.Hmac(saltedPassword, "Client Key"u8.ToArray());
        var storedKey = _mechanism.Digest(clientKey);
        var serverKey = _mechanism.Hmac(saltedPassword, "Server Key"u8.ToArray());
        var clientFinalWithoutProof = "c=biws,r=" + nonce;
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof);
        var clientSignature = _mechanism.Hmac(storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        _expectedServerSignature = _mechanism.Hmac(serverKey, authMessage);
        return Encoding.UTF8.GetBytes(clientFinalWithoutProof + ",p=" + Convert.ToBase64String(proof));
    }

    /// <summary>Verifies the server-final message (<c>v=</c> signature); a mismatch means the server does not know the password.</summary>
    public void VerifyServerFinal(ReadOnlySpan<byte> serverFinalBytes)
    {
        var fields = Parse(Encoding.UTF8.GetString(serverFinalBytes));
        if (fields.TryGetValue('e', out var error))
        {
            throw Fail("the server reported " + error);
        }

        var signature = fields.GetValueOrDefault('v') ?? throw Fail("the server-final message has no signature");
        if (_expectedServerSignature is null || !CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(signature), _expectedServerSignature))
        {
            throw Fail("the server signature is wrong (the server could not prove it knows the password)");
        }
    }

    private static Dictionary<char, string> Parse(string message)
    {
        var fields = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[1] == '=')
            {
                fields.TryAdd(part[0], part[2..]);
            }
        }

        return fields;
    }

    private static MongoAuthenticationException Fail(string reason) => new("SCRAM authentication failed: " + reason + ".");
}
