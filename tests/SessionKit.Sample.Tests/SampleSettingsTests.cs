using Microsoft.Extensions.Configuration;
using SessionKit.Sample.Hosting;

namespace SessionKit.Sample.Tests;

/// <summary>The start-up log's description of the store and the user database: endpoints, never credentials.</summary>
public sealed class SampleSettingsTests
{
    [Theory]
    [InlineData("redis", "redis", "10.0.0.5:6380,password=hunter2,ssl=true", "Redis at 10.0.0.5:6380")]
    [InlineData("redis", "redis", "node1:6379,node2:6379,user=app,password=hunter2", "Redis at node1:6379, node2:6379")]
    [InlineData("mongo", "mongo", "mongodb://app:hunter2@db1:27017,db2:27017/sessions?replicaSet=rs0", "MongoDB at db1:27017,db2:27017")]
    [InlineData("memory", "redis", "ignored", "in-memory (this process only)")]
    public void The_store_is_described_by_its_endpoints_only(string store, string name, string connection, string description)
    {
        var settings = Load(("Store", store), ("ConnectionStrings:" + name, connection));

        Assert.Equal(description, settings.DescribeStore());
    }

    [Fact]
    public void A_PostgreSQL_user_database_is_described_by_host_port_and_database_only()
    {
        var settings = Load(("Users", "postgres"), ("ConnectionStrings:users", "Host=db.internal;Port=5433;Database=users;Username=app;Password=hunter2"));

        Assert.Equal("PostgreSQL at db.internal:5433, database users", settings.DescribeUsers());
    }

    [Fact]
    public void A_SQLite_user_database_is_described_by_its_full_path_and_defaults_to_a_file_in_the_current_directory()
    {
        var settings = Load();

        Assert.Equal("SQLite file " + Path.Combine(Environment.CurrentDirectory, "sessionkit-users.db"), settings.DescribeUsers());
    }

    private static SampleSettings Load(params (string Key, string Value)[] values)
        => SampleSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());
}
