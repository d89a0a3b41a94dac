using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SessionKit.Sample.Users;

/// <summary>
/// A salted PBKDF2-HMAC-SHA256 password hash (the BCL's <see cref="Rfc2898DeriveBytes.Pbkdf2(byte[], byte[], int, HashAlgorithmName, int)"/>),
/// stored as <c>pbkdf2-sha256$iterations$salt$hash</c> (base64), so that the iteration count can be raised later
/// without invalidating existing hashes.
/// </summary>
internal sealed class PasswordHash
{
    /// <summary>OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256 is 600,000; 100,000 keeps the sample's sign-ins quick.</summary>
    public const int Iterations = 100_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly byte[] _salt;
    private readonly byte[] _hash;
    private readonly int _iterations;

    private PasswordHash(byte[] salt, byte[] hash, int iterations)
    {
        _salt = salt;
        _hash = hash;
        _iterations = iterations;
    }

    /// <summary>Hashes a password with a fresh random salt.</summary>
    public static PasswordHash Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new PasswordHash(salt, Derive(password, salt, Iterations), Iterations);
    }

    /// <summary>Reads a hash written by <see cref="Encode"/>; <see langword="null"/> for anything else.</summary>
    public static PasswordHash? Parse(string encoded)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations <= 0)
        {
            return null;
        }

        try
        {
            return new PasswordHash(Convert.FromBase64String(parts[2]), Convert.FromBase64String(parts[3]), iterations);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The stored form: <c>pbkdf2-sha256$iterations$salt$hash</c>.</summary>
    public string Encode()
        => string.Create(CultureInfo.InvariantCulture, $"{Scheme}${_iterations}${Convert.ToBase64String(_salt)}${Convert.ToBase64String(_hash)}");

    /// <summary>Whether <paramref name="password"/> matches, compared in constant time.</summary>
    public bool Verify(string password)
        => CryptographicOperations.FixedTimeEquals(Derive(password, _salt, _iterations), _hash);

    private static byte[] Derive(string password, byte[] salt, int iterations)
        => Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
