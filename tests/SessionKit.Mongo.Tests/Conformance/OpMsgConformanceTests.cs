using System.Text.Json;
using SessionKit.Mongo.Wire.Protocol;

namespace SessionKit.Mongo.Tests.Conformance;

/// <summary>
/// Decodes every OP_MSG vector (real server replies, kind-1 sections, checksummed frames, PyMongo's requests) and
/// compares header, sections and every value with the expected decode; frames whose kind-0 section comes first must
/// also re-encode to the exact bytes. A frame with a placeholder checksum must be refused when checksums are verified.
/// </summary>
public sealed class OpMsgConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void Opmsg_vectors_decode_to_their_expected_documents()
    {
        if (SpecVectors.Root is null)
        {
            SpecVectors.Report(output, SpecVectors.Missing);
            return;
        }

        using var json = SpecVectors.Load("opmsg-vectors.json");
        int decoded = 0, reencoded = 0, checksumRefusals = 0;
        var failures = new List<string>();
        foreach (var vector in json.RootElement.GetProperty("vectors").EnumerateObject())
        {
            var frame = Convert.FromHexString(vector.Value.GetProperty("hex").GetString()!);
            var expected = vector.Value.GetProperty("decoded");
            var fakeChecksum = expected.TryGetProperty("checksum_ok", out var ok) && ok.ValueKind == JsonValueKind.False;
            OpMsgMessage message;
            try
            {
                message = OpMsgCodec.Decode(frame, verifyChecksum: !fakeChecksum);
            }
            catch (Exception e)
            {
                failures.Add($"{vector.Name}: {e.GetType().Name}: {e.Message}");
                continue;
            }

            decoded++;
            var path = vector.Name;
            if (message.RequestId != expected.GetProperty("requestID").GetInt32() || message.ResponseTo != expected.GetProperty("responseTo").GetInt32()
                || (uint)message.Flags != expected.GetProperty("flagBits").GetUInt32())
            {
                failures.Add($"{path}: header differs");
            }

            var sections = expected.GetProperty("sections").EnumerateArray().ToList();
            foreach (var section in sections)
            {
                if (section.GetProperty("kind").GetInt32() == 0)
                {
                    ExtendedJsonMatcher.Match(section.GetProperty("doc"), message.Body, path + ".body", failures);
                }
                else
                {
                    var identifier = section.GetProperty("identifier").GetString();
                    var sequence = message.Sequences.SingleOrDefault(s => s.Identifier == identifier);
                    ExtendedJsonMatcher.Match(section.GetProperty("docs"), sequence is null ? null : new Mongo.Wire.Bson.BsonArray(sequence.Documents), $"{path}.{identifier}", failures);
                }
            }

            if (fakeChecksum)
            {
                checksumRefusals++;
                if (!Throws(() => OpMsgCodec.Decode(frame)))
                {
                    failures.Add($"{path}: a wrong checksum was accepted");
                }
            }
            else if (sections[0].GetProperty("kind").GetInt32() == 0)
            {
                reencoded++;
                if (!OpMsgCodec.Encode(message).AsSpan().SequenceEqual(frame))
                {
                    failures.Add($"{path}: re-encoding does not give the same bytes");
                }
            }
        }

        var summary = $"OP_MSG: {decoded} vectors decoded and compared, {reencoded} re-encoded byte for byte, {checksumRefusals} bad checksums refused; {failures.Count} failures.";
        SpecVectors.Report(output, summary);
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures));
        Assert.True(decoded >= 20, summary);
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (WireProtocolException)
        {
            return true;
        }
    }
}
