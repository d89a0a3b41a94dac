namespace SessionKit.Sample.Hosting;

/// <summary>Where the sample keeps its users: the <c>Users</c> setting.</summary>
internal enum SampleUsersDatabase
{
    /// <summary>A SQLite file (the default), which several instances on one machine may share.</summary>
    Sqlite,

    /// <summary>PostgreSQL, for instances on several machines.</summary>
    Postgres,
}
