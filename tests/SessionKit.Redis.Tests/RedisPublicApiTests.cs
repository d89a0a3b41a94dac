using System.Reflection;
using StackExchange.Redis;

namespace SessionKit.Redis.Tests;

public sealed class RedisPublicApiTests
{
    private static readonly Assembly Package = typeof(RedisSessionStoreOptions).Assembly;
    private static readonly Assembly Client = typeof(ConnectionMultiplexer).Assembly;

    [Fact]
    public void StackExchange_Redis_types_appear_only_where_the_connection_is_chosen()
    {
        // The app's own multiplexer and the client's options are what users pass (as to RedisCacheOptions); nothing else
        // of the client is part of SessionKit's API, so a client upgrade cannot break SessionKit's callers elsewhere.
        var exposed = Package.GetExportedTypes()
            .SelectMany(type => PublicSignatureTypes(type).Select(used => (type, used)))
            .Where(pair => ReferencesClient(pair.used))
            .Select(pair => $"{pair.type.Name}: {pair.used.Name}")
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(["RedisSessionStoreOptions: ConfigurationOptions", "RedisSessionStoreOptions: Func`1"], exposed);
    }

    [Fact]
    public void Public_classes_are_sealed_or_static_and_registration_lives_in_the_dependency_injection_namespace()
    {
        foreach (var type in Package.GetExportedTypes().Where(t => t.IsClass))
        {
            Assert.True(type.IsSealed, $"{type} should be sealed (or static).");
        }

        Assert.Equal("Microsoft.Extensions.DependencyInjection", typeof(Microsoft.Extensions.DependencyInjection.RedisSessionKitBuilderExtensions).Namespace);
    }

    private static IEnumerable<Type> PublicSignatureTypes(Type type)
    {
        const BindingFlags visible = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var implemented in type.GetInterfaces())
        {
            yield return implemented;
        }

        foreach (var member in type.GetMembers(visible))
        {
            switch (member)
            {
                case MethodBase method:
                    if (method is MethodInfo info)
                    {
                        yield return info.ReturnType;
                    }

                    foreach (var parameter in method.GetParameters())
                    {
                        yield return parameter.ParameterType;
                    }

                    break;
                case PropertyInfo property:
                    yield return property.PropertyType;
                    break;
                case FieldInfo field:
                    yield return field.FieldType;
                    break;
                case EventInfo @event when @event.EventHandlerType is { } handler:
                    yield return handler;
                    break;
            }
        }
    }

    private static bool ReferencesClient(Type type)
    {
        if (type.HasElementType)
        {
            return ReferencesClient(type.GetElementType()!);
        }

        return type.Assembly == Client || (type.IsGenericType && type.GetGenericArguments().Any(ReferencesClient));
    }
}
