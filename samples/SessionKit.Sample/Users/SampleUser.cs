namespace SessionKit.Sample.Users;

/// <summary>A user of the sample's in-memory directory. Only a PBKDF2 hash of the password is kept.</summary>
internal sealed record SampleUser(string Username, PasswordHash PasswordHash, IReadOnlyList<string> Permissions);
