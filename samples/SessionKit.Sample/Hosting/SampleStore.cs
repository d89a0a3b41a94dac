namespace SessionKit.Sample.Hosting;

/// <summary>Where the sample keeps its sessions: the <c>Store</c> setting.</summary>
internal enum SampleStore
{
    /// <summary>In the app's own memory (the default): one instance only.</summary>
    Memory,

    /// <summary>Redis (<c>ConnectionStrings:redis</c>), shared by every instance.</summary>
    Redis,

    /// <summary>MongoDB (<c>ConnectionStrings:mongo</c>), shared by every instance.</summary>
    Mongo,
}
