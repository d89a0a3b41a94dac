using Microsoft.Extensions.DependencyInjection;

namespace SessionKit.Mongo.Tests.Registration;

/// <summary>The package's public surface: small, sealed, registration where ASP.NET Core users look for it.</summary>
public sealed class MongoPublicApiTests
{
    [Fact]
    public void Public_classes_are_sealed_or_static_and_registration_lives_in_the_dependency_injection_namespace()
    {
        var exported = typeof(MongoSessionStoreOptions).Assembly.GetExportedTypes();

        Assert.All(exported.Where(t => t.IsClass), type => Assert.True(type.IsSealed, $"{type} should be sealed (or static)."));
        Assert.Equal(
            ["Microsoft.Extensions.DependencyInjection.MongoSessionKitBuilderExtensions", "Microsoft.Extensions.DependencyInjection.MongoSessionOverJwtExtensions", "SessionKit.Mongo.MongoSessionStoreOptions"],
            exported.Select(t => t.FullName!).Order(StringComparer.Ordinal));
        Assert.Equal("Microsoft.Extensions.DependencyInjection", typeof(MongoSessionKitBuilderExtensions).Namespace);
    }
}
