namespace SessionKit.Sample.Users;

/// <summary>Bounds on what a client may send for a user: longer input is refused with 400 before any work is done.</summary>
internal static class UserLimits
{
    /// <summary>The longest user name accepted (an e-mail address is at most 254 characters).</summary>
    public const int MaxUsernameLength = 256;

    /// <summary>The longest password accepted; it bounds the PBKDF2 work one request can cause.</summary>
    public const int MaxPasswordLength = 1024;
}
