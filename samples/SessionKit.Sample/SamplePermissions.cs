namespace SessionKit.Sample;

/// <summary>Permissions the sample grants (stored in the session record, never in the token).</summary>
internal static class SamplePermissions
{
    /// <summary>May force other users' sessions to end (the admin endpoints). Also the name of the policy requiring it.</summary>
    public const string SessionsAdmin = "sessions:admin";

    /// <summary>Granted by group Admin (scenario B).</summary>
    public const string CreateRole = "CREATE_ROLE";

    /// <summary>Granted by group Admin (scenario B).</summary>
    public const string CreateGroup = "CREATE_GROUP";

    /// <summary>Granted by group Manager (scenario B): may assign users to groups.</summary>
    public const string AssignUsers = "ASSIGN_USERS";
}
