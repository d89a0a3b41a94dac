using System.Security.Cryptography;
using System.Text;

namespace SessionKit.Mongo.Wire.Auth;

/// <summary>The two SCRAM variants MongoDB speaks, with how each turns the user's password into SCRAM's input.</summary>
internal sealed class ScramMechanism
{
    public static readonly ScramMechanism Sha256 = new("SCRAM-SHA-256", HashAlgorithmName.SHA256, 32);
    public static readonly ScramMechanism Sha1 = new("SCRAM-SHA-1", HashAlgorithmName.SHA1, 20);

    private ScramMechanism(string name, HashAlgorithmName hash, int hashLength)
    {
        Name = name;
        Hash = hash;
        HashLength = hashLength;
    }

    public string Name { get; }

    public HashAlgorithmName Hash { get; }

    public int HashLength { get; }

    public static ScramMechanism FromName(string name) => name switch
    {
        "SCRAM-SHA-256" => Sha256,
        "SCRAM-SHA-1" => Sha1,
        _ => throw new ArgumentException($"Unsupported SCRAM mechanism {name}.", nameof(name)),
    };

    /// <summary>
    /// The password fed to Hi(): SASLprep(password) for SHA-256; for SHA-1, MongoDB's legacy digest
    /// hex(MD5(user + ":mongo:" + password)), without SASLprep.
    /// </summary>
    public string PreparePassword(string username, string password)
    {
        if (this == Sha256)
        {
            return SaslPrep.Prepare(password);
        }

#pragma warning disable CA5351 // MD5 is what MongoDB's SCRAM-SHA-1 password digest is defined with; it is not used for security on its own.
        var digest = MD5.HashData(Encoding.UTF8.GetBytes(username + ":mongo:" + password));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(digest);
    }

    // SHA-1 here is SCRAM-SHA-1 as the server defines it, offered only when the server lacks SCRAM-SHA-256.
#pragma warning disable CA5350
    public byte[] Hmac(byte[] key, byte[] data) => Hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data) : HMACSHA1.HashData(key, data);

    public byte[] Digest(byte[] data) => Hash == HashAlgorithmName.SHA256 ? SHA256.HashData(data) : SHA1.HashData(data);
#pragma warning restore CA5350
}
