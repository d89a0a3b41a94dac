using SessionKit.Mongo.Tests.Peer;
using SessionKit.Mongo.Tests.Wire;
using SessionKit.Mongo.Wire.Bson;
using SessionKit.Mongo.Wire.Protocol;

namespace SessionKit.Mongo.Tests.Conformance;

/// <summary>
/// The client's own insert, findAndModify and createIndexes requests (captured by the peer, acting as a replica-set
/// primary so that sessions and retryable writes apply) have the shape of PyMongo's requests for the same operations
/// in the vectors: the same command name first, every field PyMongo sends (but <c>$readPreference</c>, which is
/// primary by default) with the same BSON type, recursively, and the same kind-1 sections.
/// </summary>
public sealed class RequestShapeConformanceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly WirePeer _peer = new();

    public ValueTask InitializeAsync()
    {
        _peer.AsReplicaSetPrimary();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public async Task Insert_findAndModify_and_createIndexes_requests_match_the_independent_drivers_shape()
    {
        if (SpecVectors.Root is null)
        {
            SpecVectors.Report(output, SpecVectors.Missing);
            return;
        }

        await using (var client = ClientFaultTests.NewClient(_peer.Address, "&replicaSet=rs0"))
        {
            var expires = new BsonDateTime(1704067200000);
            var (insert, sequences) = MongoCommands.Insert("sessions", [new BsonDocument().Add("_id", "sid-1").Add("data", "x").Add("expiresAt", expires)], null);
            await client.WriteAsync("app", insert, sequences, CancellationToken.None);
            var findAndModify = MongoCommands.FindAndModify("sessions", new BsonDocument().Add("_id", "sid-1"), new BsonDocument().Add("$set", new BsonDocument().Add("data", "z")), returnNew: false, upsert: false, null);
            await client.WriteAsync("app", findAndModify, [], CancellationToken.None);
            await client.ReadAsync("app", MongoCommands.CreateIndexes("sessions", ("expiresAt_1", new BsonDocument().Add("expiresAt", 1), 0)), CancellationToken.None);
        }

        using var json = SpecVectors.Load("opmsg-vectors.json");
        var vectors = json.RootElement.GetProperty("vectors");
        var failures = new List<string>();
        var compared = 0;
        foreach (var (vectorName, command) in new[] { ("pymongo311_04_request_insert", "insert"), ("pymongo311_06_request_findAndModify", "findAndModify"), ("pymongo311_08_request_createIndexes", "createIndexes") })
        {
            var theirs = OpMsgCodec.Decode(Convert.FromHexString(vectors.GetProperty(vectorName).GetProperty("hex").GetString()!));
            var ours = _peer.ReceivedMessages.Single(m => m.Body.Elements[0].Key == command);
            compared++;
            if (ours.Body.Elements[0].Key != theirs.Body.Elements[0].Key)
            {
                failures.Add($"{command}: the command name is not the first field");
            }

            var theirBody = PeerQuery.Copy(theirs.Body);
            theirBody.Remove("$readPreference");
            CompareShape(theirBody, ours.Body, command, failures);
            var theirSections = string.Join(",", theirs.Sequences.Select(s => s.Identifier));
            var ourSections = string.Join(",", ours.Sequences.Select(s => s.Identifier));
            if (theirSections != ourSections)
            {
                failures.Add($"{command}: kind-1 sections [{ourSections}] differ from [{theirSections}]");
            }

            foreach (var (theirSequence, ourSequence) in theirs.Sequences.Zip(ours.Sequences))
            {
                CompareShape(theirSequence.Documents[0], ourSequence.Documents[0], command + "." + theirSequence.Identifier, failures);
            }
        }

        var summary = $"Request shapes: {compared} client requests compared with PyMongo's; {failures.Count} differences.";
        SpecVectors.Report(output, summary);
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures));
    }

    private static void CompareShape(object? theirs, object? ours, string path, List<string> failures)
    {
        switch (theirs)
        {
            case BsonDocument theirDocument when ours is BsonDocument ourDocument:
                foreach (var (name, value) in theirDocument)
                {
                    if (!ourDocument.TryGetValue(name, out var ourValue))
                    {
                        failures.Add($"{path}.{name}: missing");
                        continue;
                    }

                    CompareShape(value, ourValue, path + "." + name, failures);
                }

                break;
            case BsonArray theirArray when ours is BsonArray ourArray:
                if (theirArray.Count > 0 && ourArray.Count > 0)
                {
                    CompareShape(theirArray[0], ourArray[0], path + "[0]", failures);
                }

                break;
            case BsonBinary theirBinary when ours is BsonBinary ourBinary:
                if (theirBinary.Subtype != ourBinary.Subtype || theirBinary.Data.Length != ourBinary.Data.Length)
                {
                    failures.Add($"{path}: binary subtype {ourBinary.Subtype} of {ourBinary.Data.Length} bytes, expected subtype {theirBinary.Subtype} of {theirBinary.Data.Length}");
                }

                break;
            default:
                if (theirs?.GetType() != ours?.GetType())
                {
                    failures.Add($"{path}: {ours?.GetType().Name ?? "null"}, expected {theirs?.GetType().Name ?? "null"}");
                }

                break;
        }
    }
}
