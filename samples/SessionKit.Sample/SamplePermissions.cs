namespace SessionKit.Sample;

/// <summary>Permissions the sample grants (stored in the session record, never in the token).</summary>
internal static class SamplePermissions
{
    /// <summary>May force other users' sessions to end (the admin endpoints). Also the name of the policy requiring it.</summary>
    public const string SessionsAdmin = "sessions:admin";
}
