namespace SessionKit.Docs.Tests;

/// <summary>One <c>```csharp</c> block of a markdown file.</summary>
/// <param name="File">The markdown file, relative to the repository root.</param>
/// <param name="Line">The 1-based line of the block's first code line.</param>
/// <param name="Section">The nearest heading above the block (without the #s).</param>
/// <param name="Code">The code.</param>
/// <param name="Parameters">
/// <see langword="null"/> for a whole program (the default: a <c>Program.cs</c> of a <c>dotnet new web</c> project);
/// otherwise the block is statements, compiled as the body of a method with these parameters, declared by the comment
/// <c>&lt;!-- compile: statements (WebApplicationBuilder builder) --&gt;</c> on the line before the block.
/// </param>
internal sealed record CodeBlock(string File, int Line, string Section, string Code, string? Parameters)
{
    public override string ToString() => $"{File}:{Line} ({Section})";
}
