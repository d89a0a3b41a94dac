using SessionKit.Mongo.Wire.Connection;

namespace SessionKit.Mongo.Tests.Wire;

public sealed class MongoEndPointTests
{
    [Theory]
    [InlineData("db1:27018", "db1", 27018)]
    [InlineData("db1", "db1", 27017)]
    [InlineData("[::1]:27019", "::1", 27019)]
    [InlineData("[::1]", "::1", 27017)]
    public void Member_names_from_server_replies_parse(string value, string host, int port)
    {
        Assert.True(MongoEndPoint.TryParse(value, out var endPoint));
        Assert.Equal(new MongoEndPoint(host, port), endPoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("db1:notaport")]
    [InlineData("[::1")]
    [InlineData("db1:70000")]
    [InlineData(":27017")]
    public void Malformed_member_names_are_skipped(string value)
        => Assert.False(MongoEndPoint.TryParse(value, out _));
}
