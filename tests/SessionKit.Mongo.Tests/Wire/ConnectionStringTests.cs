using SessionKit.Mongo.Wire.Connection;

namespace SessionKit.Mongo.Tests.Wire;

/// <summary>The connection-string parser with the project's own cases.</summary>
public sealed class ConnectionStringTests
{
    [Fact]
    public void A_full_replica_set_string_parses_every_supported_option()
    {
        var settings = MongoConnectionStringParser.Parse(
            "mongodb://app%40corp:p%3Ass@db1.example.com,db2.example.com:27018,[::1]:27019/sessions?replicaSet=rs0&authSource=admin"
            + "&authMechanism=SCRAM-SHA-256&tls=true&tlsCAFile=%2Fetc%2Fca.pem&connectTimeoutMS=2000&socketTimeoutMS=3000"
            + "&serverSelectionTimeoutMS=4000&waitQueueTimeoutMS=500&maxPoolSize=7&w=majority&wtimeoutMS=1500&journal=true&retryWrites=false&appName=shop");

        Assert.Equal([new MongoEndPoint("db1.example.com", 27017), new MongoEndPoint("db2.example.com", 27018), new MongoEndPoint("::1", 27019)], settings.Hosts);
        Assert.Equal("app@corp", settings.Username);
        Assert.Equal("p:ss", settings.Password);
        Assert.Equal("sessions", settings.Database);
        Assert.Equal("admin", settings.AuthSource);
        Assert.Equal("SCRAM-SHA-256", settings.AuthMechanism);
        Assert.Equal("rs0", settings.ReplicaSet);
        Assert.True(settings.Tls);
        Assert.Equal("/etc/ca.pem", settings.TlsCaFile);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.SocketTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), settings.ServerSelectionTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.WaitQueueTimeout);
        Assert.Equal(7, settings.MaxPoolSize);
        Assert.Equal("majority", settings.W);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.WTimeout);
        Assert.True(settings.Journal);
        Assert.False(settings.RetryWrites);
        Assert.Equal("shop", settings.AppName);
    }

    [Fact]
    public void Defaults_apply_when_the_string_names_only_a_host()
    {
        var settings = MongoConnectionStringParser.Parse("mongodb://localhost");

        Assert.Equal([new MongoEndPoint("localhost", 27017)], settings.Hosts);
        Assert.Null(settings.Database);
        Assert.Equal("admin", settings.AuthSource);
        Assert.False(settings.Tls);
        Assert.True(settings.RetryWrites);
        Assert.Equal(100, settings.MaxPoolSize);
    }

    [Fact]
    public void The_auth_source_defaults_to_the_database_in_the_path()
        => Assert.Equal("shop", MongoConnectionStringParser.Parse("mongodb://u:p@h/shop").AuthSource);

    [Fact]
    public void A_zero_timeout_keeps_the_bounded_default()
        => Assert.Equal(TimeSpan.FromSeconds(30), MongoConnectionStringParser.Parse("mongodb://h/?socketTimeoutMS=0").SocketTimeout);

    [Theory]
    [InlineData("mongodb+srv://cluster0.example.com/")]
    [InlineData("mongodb://h/?compressors=zlib")]
    [InlineData("mongodb://h/?readPreference=secondary")]
    [InlineData("mongodb://u@h/?authMechanism=MONGODB-X509")]
    [InlineData("mongodb://%2Ftmp%2Fmongodb-27017.sock")]
    public void Unsupported_features_are_refused_with_the_documented_error(string connectionString)
    {
        var error = Assert.Throws<MongoConnectionStringException>(() => MongoConnectionStringParser.Parse(connectionString));

        Assert.True(error.IsUnsupported);
        Assert.Contains("not supported by SessionKit.Mongo", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://h")]
    [InlineData("mongodb://")]
    [InlineData("mongodb://h:0")]
    [InlineData("mongodb://h:70000")]
    [InlineData("mongodb://u:p:q@h")]
    [InlineData("mongodb://u%zz@h")]
    [InlineData("mongodb://@h")]
    [InlineData("mongodb://h/?tls=yes")]
    [InlineData("mongodb://h/?tls=true&ssl=false")]
    [InlineData("mongodb://h/?w=1&w=2")]
    [InlineData("mongodb://h/?tlsInsecure=true&tlsAllowInvalidHostnames=true")]
    [InlineData("mongodb://a,b/?directConnection=true")]
    [InlineData("mongodb://h/?authMechanism=SCRAM-SHA-256")]
    [InlineData("mongodb://h/bad$db")]
    public void Malformed_strings_are_refused(string connectionString)
    {
        var error = Assert.Throws<MongoConnectionStringException>(() => MongoConnectionStringParser.Parse(connectionString));

        Assert.False(error.IsUnsupported);
    }
}
