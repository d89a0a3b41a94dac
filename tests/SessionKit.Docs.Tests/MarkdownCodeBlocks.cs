using System.Text.RegularExpressions;

namespace SessionKit.Docs.Tests;

/// <summary>
/// Finds the C# blocks of the repository's READMEs: README.md and src/*/README.md. A block is a whole program unless the
/// nearest non-blank line above it is <c>&lt;!-- compile: statements (parameters) --&gt;</c>.
/// </summary>
internal static partial class MarkdownCodeBlocks
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static IReadOnlyList<CodeBlock> All()
        => [.. Files().SelectMany(file => Read(Path.GetRelativePath(RepositoryRoot, file).Replace('\\', '/'), File.ReadAllLines(file)))];

    public static IEnumerable<string> Files()
        => new[] { Path.Combine(RepositoryRoot, "README.md") }
            .Concat(Directory.GetDirectories(Path.Combine(RepositoryRoot, "src")).Order(StringComparer.Ordinal)
                .Select(d => Path.Combine(d, "README.md")).Where(File.Exists));

    public static IEnumerable<CodeBlock> Read(string file, string[] lines)
    {
        var section = "";
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('#'))
            {
                section = lines[i].TrimStart('#').Trim();
                continue;
            }

            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            yield return new CodeBlock(file, start + 1, section, string.Join('\n', lines[start..end]), Parameters(lines, i));
            i = end;
        }
    }

    private static string? Parameters(string[] lines, int fence)
    {
        var above = fence - 1;
        while (above >= 0 && lines[above].Trim().Length == 0)
        {
            above--;
        }

        return above >= 0 && Marker().Match(lines[above].Trim()) is { Success: true } match ? match.Groups["parameters"].Value : null;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SessionKit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SessionKit.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^<!-- compile: statements \((?<parameters>[^)]*)\) -->$")]
    private static partial Regex Marker();
}
