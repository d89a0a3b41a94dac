using System.Diagnostics;

namespace SessionKit.Diagnostics;

/// <summary>The <c>SessionKit</c> activity source: one span per session store call.</summary>
internal static class SessionKitActivitySource
{
    public const string Name = "SessionKit";

    public static ActivitySource Instance { get; } = new(Name);
}
