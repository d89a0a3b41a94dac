using System.Net;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;

namespace SessionKit.Mongo.Tests.Store;

/// <summary>Which driver exceptions are outages (503) and which are bugs (propagated).</summary>
public sealed class MongoErrorsTests
{
    private static readonly ConnectionId Connection = new(new ServerId(new ClusterId(1), new DnsEndPoint("db.example", 27017)));

    public static TheoryData<Exception> Outages => new()
    {
        new MongoConnectionException(Connection, "connection refused"),
        new MongoConnectionClosedException(Connection),
        new TimeoutException("A timeout occurred after 2000ms selecting a server."),
        new MongoNotPrimaryException(Connection, new BsonDocument(), new BsonDocument { { "code", 10107 }, { "errmsg", "not primary" } }),
        new MongoNodeIsRecoveringException(Connection, new BsonDocument(), new BsonDocument { { "code", 11600 }, { "errmsg", "interrupted at shutdown" } }),
        new MongoExecutionTimeoutException(Connection, "operation exceeded time limit"),
        new MongoCommandException(Connection, "primary stepped down", new BsonDocument("find", "sessions"), new BsonDocument { { "ok", 0 }, { "code", 189 } }),
        new MongoCommandException(Connection, "retry me", new BsonDocument("find", "sessions"), new BsonDocument { { "ok", 0 }, { "code", 1 }, { "errorLabels", new BsonArray { "RetryableWriteError" } } }),
        new IOException("broken pipe"),
    };

    public static TheoryData<Exception> Bugs => new()
    {
        new MongoCommandException(Connection, "not authorized", new BsonDocument("find", "sessions"), new BsonDocument { { "ok", 0 }, { "code", 13 } }),
        new MongoCommandException(Connection, "duplicate key", new BsonDocument("find", "sessions"), new BsonDocument { { "ok", 0 }, { "code", 11000 } }),
        new MongoConfigurationException("bad option"),
        new FormatException("a bug"),
        new InvalidOperationException("a bug"),
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public void Infrastructure_failures_are_outages(Exception exception) => Assert.True(MongoErrors.IsInfrastructure(exception), exception.GetType().Name);

    [Theory]
    [MemberData(nameof(Bugs))]
    public void Other_failures_are_not_outages(Exception exception) => Assert.False(MongoErrors.IsInfrastructure(exception), exception.GetType().Name);

    [Fact]
    public void The_outage_names_the_endpoint_keeps_the_cause_inside_and_hides_a_password_a_message_echoes()
    {
        var cause = new MongoConnectionException(Connection, "auth failed for secret-pw");

        var outage = MongoErrors.Unavailable("get", "db.example:27017", cause, "secret-pw");

        Assert.Same(cause, outage.InnerException);
        Assert.Contains("db.example:27017", outage.Message, StringComparison.Ordinal);
        Assert.Contains("'get'", outage.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", outage.Message, StringComparison.Ordinal);
    }
}
