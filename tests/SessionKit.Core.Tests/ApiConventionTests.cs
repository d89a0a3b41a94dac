using System.Reflection;

namespace SessionKit.Core.Tests;

/// <summary>Conventions every SessionKit library keeps (checked by reflection and over the sources).</summary>
public sealed class ApiConventionTests
{
    private static readonly string[] AllowedNamespaces =
    [
        "SessionKit",
        "Microsoft.Extensions.DependencyInjection",
        "Microsoft.AspNetCore.Authorization",
        "Microsoft.AspNetCore.Builder",
    ];

    public static TheoryData<string> LibraryAssemblies => new() { typeof(SessionManager).Assembly.GetName().Name! };

    // The schemes' events classes are made to be derived from (AuthenticationSchemeOptions.EventsType resolves the
    // app's subclass from DI), as ASP.NET Core's own are.
    private static readonly string[] DerivableClasses = ["SessionKit.Cookies.SessionCookieEvents", "SessionKit.Jwt.SessionOverJwtEvents"];

    [Theory]
    [MemberData(nameof(LibraryAssemblies))]
    public void Public_classes_are_sealed_or_static_but_the_scheme_events(string assemblyName)
    {
        var offenders = Assembly.Load(assemblyName).GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !(t.IsAbstract && t.IsSealed) && !DerivableClasses.Contains(t.FullName))
            .Select(t => t.FullName);

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_scheme_events_raise_every_callback_through_a_virtual_method()
    {
        foreach (var events in DerivableClasses.Select(name => typeof(SessionManager).Assembly.GetType(name, throwOnError: true)!))
        {
            var callbacks = events.GetProperties().Where(p => p.Name.StartsWith("On", StringComparison.Ordinal)).Select(p => p.Name[2..]);
            var virtuals = events.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(m => m.IsVirtual).Select(m => m.Name);

            Assert.Equal(callbacks.Order(), virtuals.Order());
        }
    }

    [Theory]
    [MemberData(nameof(LibraryAssemblies))]
    public void Public_types_live_in_the_package_namespace_or_the_framework_extension_namespaces(string assemblyName)
    {
        var offenders = Assembly.Load(assemblyName).GetExportedTypes()
            .Where(t => !AllowedNamespaces.Any(ns => t.Namespace == ns || t.Namespace!.StartsWith("SessionKit.", StringComparison.Ordinal)))
            .Select(t => t.FullName);

        Assert.Empty(offenders);
    }

    [Fact]
    public void Libraries_never_write_to_the_console()
    {
        var offenders = Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("Console.", StringComparison.Ordinal));

        Assert.Empty(offenders);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SessionKit.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("SessionKit.sln not found above " + AppContext.BaseDirectory);
    }
}
