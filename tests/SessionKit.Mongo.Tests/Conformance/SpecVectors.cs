using System.Text.Json;

namespace SessionKit.Mongo.Tests.Conformance;

/// <summary>
/// Finds the official MongoDB test vectors (NonCommercial licence, so they are read at run time and never copied
/// into this repository): <c>SESSIONKIT_SPEC_VECTORS</c>, else <c>../shared/specs/mongodb</c> next to the repository.
/// </summary>
internal static class SpecVectors
{
    public static string? Root { get; } = Locate();

    public static string Missing =>
        "SKIPPED: the MongoDB spec vectors were not found (set SESSIONKIT_SPEC_VECTORS or provide ../shared/specs/mongodb next to the repository).";

    /// <summary>
    /// Writes a conformance summary to the test output (kept in the TRX report, from which ./build.sh test prints every
    /// "Conformance:" line) and to the console.
    /// </summary>
    public static void Report(ITestOutputHelper output, string summary)
    {
        output.WriteLine("Conformance: " + summary);
        Console.WriteLine("Conformance: " + summary);
    }

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root!, .. parts]);

    public static JsonDocument Load(params string[] parts) => JsonDocument.Parse(File.ReadAllText(Path(parts)));

    public static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    private static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SESSIONKIT_SPEC_VECTORS");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SessionKit.sln")))
            {
                var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "specs", "mongodb"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }
}
