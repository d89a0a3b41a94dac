using System.Net;
using MongoDB.Bson;
using MongoDB.Driver;
using SessionKit.Mongo.Tests.Peer;
using SessionKit.Testing.Mongo;

namespace SessionKit.Mongo.Tests.Sample;

/// <summary>
/// Scenario A on the sample started with <c>Store=mongo</c>, against the in-process wire peer through
/// the official driver — including the operator's force logout, sent as mongosh sends it: <c>db.sessions.deleteMany({})</c>.
/// </summary>
public sealed class ScenarioAOnMongoTests(WirePeerFixture mongo) : IClassFixture<WirePeerFixture>
{
    [Fact]
    public async Task Scenario_A_runs_on_the_mongo_store_and_delete_many_logs_everyone_out()
    {
        await using var app = SampleOnMongo.Start(mongo.Peer.ConnectionString("sessionkit"));
        using var client = app.CreateClient();
        var sessions = mongo.Client.GetDatabase("sessionkit").GetCollection<BsonDocument>("sessions");

        var token = await SampleOnMongo.LoginAsync(client);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/member")).StatusCode);
        using (var member = await SampleOnMongo.SendAsync(client, HttpMethod.Get, "/member", token))
        {
            Assert.Equal(HttpStatusCode.OK, member.StatusCode);
            Assert.Equal("Hello World!", await member.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, await sessions.CountDocumentsAsync(new BsonDocument("sub", new BsonDocument("$exists", true))));
        using (var logout = await SampleOnMongo.SendAsync(client, HttpMethod.Post, "/logout", token))
        {
            Assert.Equal("success logout", await logout.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await SampleOnMongo.MemberAsync(client, token));

        // Step 5: the operator's force logout.
        var first = await SampleOnMongo.LoginAsync(client);
        var second = await SampleOnMongo.LoginAsync(client);
        Assert.Equal(HttpStatusCode.OK, await SampleOnMongo.MemberAsync(client, second));
        var deleted = await sessions.DeleteManyAsync(new BsonDocument());

        Assert.Equal(2, deleted.DeletedCount);
        Assert.Equal(HttpStatusCode.Unauthorized, await SampleOnMongo.MemberAsync(client, first));
        Assert.Equal(HttpStatusCode.Unauthorized, await SampleOnMongo.MemberAsync(client, second));
    }

    [Fact]
    public async Task Deleting_one_users_documents_by_sub_logs_out_that_user_only()
    {
        await using var app = SampleOnMongo.Start(mongo.Peer.ConnectionString("scenario_sub"));
        using var client = app.CreateClient();
        var sessions = mongo.Client.GetDatabase("scenario_sub").GetCollection<BsonDocument>("sessions");
        var root = await SampleOnMongo.LoginAsync(client);
        var rootSubject = (await sessions.Find(new BsonDocument()).FirstAsync())["sub"].AsString;
        await sessions.InsertOneAsync(new BsonDocument { { "_id", "someone-else" }, { "sub", "someone-else" } });

        // db.sessions.deleteMany({ sub: "<root's user id>" })
        var deleted = await sessions.DeleteManyAsync(new BsonDocument("sub", rootSubject));

        Assert.Equal(1, deleted.DeletedCount);
        Assert.Equal(HttpStatusCode.Unauthorized, await SampleOnMongo.MemberAsync(client, root));
        Assert.Equal(1, await sessions.CountDocumentsAsync(new BsonDocument()));
    }
}
