using System.Text;
using SessionKit.Mongo.Wire.Auth;

namespace SessionKit.Mongo.Tests.Conformance;

/// <summary>
/// Replays every SCRAM conversation in the vectors file (RFC 7677 SHA-256, RFC 5802 SHA-1, MongoDB's digested-password
/// SHA-1, and a real PyMongo exchange): with the published client nonce, the client's messages must match byte for
/// byte and the published server signature must verify.
/// </summary>
public sealed class ScramConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void Published_scram_conversations_are_reproduced_byte_for_byte()
    {
        if (SpecVectors.Root is null)
        {
            SpecVectors.Report(output, SpecVectors.Missing);
            return;
        }

        var text = File.ReadAllText(SpecVectors.Path("vectors.md"));
        var conversations = text.Split("\n### 1.").Skip(1).Select(ParseBlock).Where(c => c.Count > 0).ToList();
        var failures = new List<string>();
        var digestChecks = 0;
        foreach (var fields in conversations)
        {
            var mechanism = fields["SaltedPassword (hex)"].Length == 64 ? ScramMechanism.Sha256 : ScramMechanism.Sha1;
            var clientFirst = fields["client-first-message"];
            var user = clientFirst.Split(',')[2][2..];
            var nonce = clientFirst.Split(",r=")[1];
            var password = fields["password fed to Hi()"];
            var conversation = new ScramConversation(mechanism, user, password, nonce);
            var name = fields["name"];
            Check(name, "client-first", clientFirst, Encoding.UTF8.GetString(conversation.ClientFirst()), failures);
            Check(name, "client-final", fields["client-final-message"], Encoding.UTF8.GetString(conversation.ClientFinal(Encoding.UTF8.GetBytes(fields["server-first-message"]))), failures);
            Check(name, "saslStart payload", fields["saslStart payload (base64)"], Convert.ToBase64String(conversation.ClientFirst()), failures);
            try
            {
                conversation.VerifyServerFinal(Encoding.UTF8.GetBytes(fields["server-final-message"]));
            }
            catch (MongoAuthenticationException e)
            {
                failures.Add($"{name}: {e.Message}");
            }

            if (name.Contains("MongoDB SCRAM-SHA-1", StringComparison.Ordinal))
            {
                digestChecks++;
                Check(name, "MongoDB SHA-1 password digest", password, ScramMechanism.Sha1.PreparePassword(user, "pencil"), failures);
            }
        }

        var summary = $"SCRAM: {conversations.Count} published conversations replayed ({digestChecks} with MongoDB's SHA-1 password digest); {failures.Count} failures.";
        SpecVectors.Report(output, summary);
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures));
        Assert.True(conversations.Count >= 4, summary);
    }

    private static Dictionary<string, string> ParseBlock(string block)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = block.Split('\n')[0].Trim() };
        var start = block.IndexOf("```text", StringComparison.Ordinal);
        if (start < 0 || !block.Contains("client-first-message", StringComparison.Ordinal))
        {
            return [];
        }

        var end = block.IndexOf("```", start + 7, StringComparison.Ordinal);
        foreach (var line in block[(start + 7)..end].Split('\n'))
        {
            var colon = line.IndexOf(" : ", StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[line[..colon].Trim()] = line[(colon + 3)..].Trim();
            }
        }

        return fields;
    }

    private static void Check(string name, string what, string expected, string actual, List<string> failures)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            failures.Add($"{name}: {what} is \"{actual}\", expected \"{expected}\"");
        }
    }
}
