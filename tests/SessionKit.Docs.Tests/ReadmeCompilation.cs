using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SessionKit.Docs.Tests;

/// <summary>
/// Compiles every block at once — one compilation, one file per block — as a user would: with the Web SDK's implicit
/// usings, nullable reference types on, against the ASP.NET Core shared framework and SessionKit's assemblies. A whole
/// program keeps its <c>using</c> directives and type declarations; its top-level statements become the body of
/// <c>RunAsync(string[] args)</c> in a class of its own (a compilation holds only one real top-level program).
/// <c>#line</c> directives map every diagnostic back to the README line.
/// </summary>
internal sealed class ReadmeCompilation
{
    // The implicit global usings of a Microsoft.NET.Sdk.Web project (dotnet new web).
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Net.Http.Json;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    // CS1998: a wrapped program without await still gets an async wrapper.
    private static readonly Dictionary<string, ReportDiagnostic> Suppressed = new() { ["CS1998"] = ReportDiagnostic.Suppress };

    private ReadmeCompilation(IReadOnlyList<CodeBlock> blocks, CSharpCompilation compilation)
    {
        Blocks = blocks;
        Compilation = compilation;
    }

    public IReadOnlyList<CodeBlock> Blocks { get; }

    public CSharpCompilation Compilation { get; }

    public static ReadmeCompilation Create(IReadOnlyList<CodeBlock> blocks)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(ImplicitUsings, parse, path: "ImplicitUsings.cs") };
        trees.AddRange(blocks.Select((block, index) => CSharpSyntaxTree.ParseText(Wrap(block, index, parse), parse, path: $"Block{index}.cs")));
        var compilation = CSharpCompilation.Create(
            "ReadmeBlocks",
            trees,
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, specificDiagnosticOptions: Suppressed));
        return new ReadmeCompilation(blocks, compilation);
    }

    /// <summary>The name of the class a block is compiled into; its entry is <c>static Task RunAsync(…)</c>.</summary>
    public static string ClassName(int index) => $"ReadmeBlocks.Block{index}";

    private static string Wrap(CodeBlock block, int index, CSharpParseOptions parse)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(block.Code, parse).GetRoot();
        var statements = root.Members.OfType<GlobalStatementSyntax>().ToList();
        var types = root.Members.Where(m => m is not GlobalStatementSyntax).ToList();
        var text = new StringBuilder();
        foreach (var directive in root.Usings)
        {
            text.Append(Line(block, directive)).AppendLine(directive.ToString());
        }

        text.AppendLine("#line default").AppendLine($"namespace ReadmeBlocks {{ internal static class Block{index} {{");
        text.AppendLine($"internal static async Task RunAsync({block.Parameters ?? "string[] args"}) {{");
        foreach (var statement in statements)
        {
            text.Append(Line(block, statement)).AppendLine(statement.ToString());
        }

        text.AppendLine("#line default").AppendLine("} } }");
        foreach (var type in types)
        {
            text.Append(Line(block, type)).AppendLine(type.ToString());
        }

        return text.ToString();
    }

    private static string Line(CodeBlock block, SyntaxNode node)
        => $"#line {block.Line + node.GetLocation().GetLineSpan().StartLinePosition.Line} \"{block.File}\"\n";

    private static IEnumerable<MetadataReference> References()
        => ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => MetadataReference.CreateFromFile(path));
}
