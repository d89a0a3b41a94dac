using System.Text.Json;
using SessionKit.Mongo.Wire.Connection;

namespace SessionKit.Mongo.Tests.Conformance;

/// <summary>
/// Runs the official connection-string, URI-option and auth-parsing cases. A case that uses a feature this client
/// does not support (mongodb+srv, Unix sockets, an option outside <see cref="MongoConnectionStringParser.SupportedOptions"/>,
/// a non-SCRAM mechanism) must fail with the documented "not supported" error; every other case must parse to the
/// expected hosts, credentials and options, or be rejected when the spec says it is invalid. Where the spec only
/// warns (valid with a warning), this client refuses instead, by design.
/// </summary>
public sealed class ConnectionStringConformanceTests(ITestOutputHelper output)
{
    private static readonly string[] Files =
    [
        "connection-string/tests/invalid-uris.json", "connection-string/tests/valid-auth.json",
        "connection-string/tests/valid-db-with-dotted-name.json", "connection-string/tests/valid-host_identifiers.json",
        "connection-string/tests/valid-options.json", "connection-string/tests/valid-unix_socket-absolute.json",
        "connection-string/tests/valid-unix_socket-relative.json", "connection-string/tests/valid-warnings.json",
        "auth/tests/legacy/connection-string.json",
        .. Directory.Exists(SpecVectors.Root is null ? "" : SpecVectors.Path("uri-options", "tests"))
            ? Directory.GetFiles(SpecVectors.Path("uri-options", "tests"), "*.json").Select(f => "uri-options/tests/" + Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray()
            : Array.Empty<string>(),
    ];

    [Fact]
    public void Connection_string_and_auth_cases_parse_as_specified_or_fail_with_the_documented_error()
    {
        if (SpecVectors.Root is null)
        {
            SpecVectors.Report(output, SpecVectors.Missing);
            return;
        }

        int parsed = 0, rejected = 0, unsupported = 0;
        var failures = new List<string>();
        foreach (var file in Files)
        {
            using var json = SpecVectors.Load(file.Split('/'));
            foreach (var testCase in json.RootElement.GetProperty("tests").EnumerateArray())
            {
                var description = file + ": " + testCase.GetProperty("description").GetString();
                var uri = testCase.GetProperty("uri").GetString()!;
                var expectUnsupported = UsesUnsupportedFeature(uri, testCase);
                var expectValid = testCase.GetProperty("valid").GetBoolean() && !(testCase.TryGetProperty("warning", out var w) && w.ValueKind == JsonValueKind.True);
                MongoConnectionSettings? settings = null;
                MongoConnectionStringException? error = null;
                try
                {
                    settings = MongoConnectionStringParser.Parse(uri);
                }
                catch (MongoConnectionStringException e)
                {
                    error = e;
                }
                catch (Exception e)
                {
                    failures.Add($"{description}: threw {e.GetType().Name} instead of the connection-string error");
                    continue;
                }

                if (expectUnsupported)
                {
                    unsupported++;
                    if (error is null || (expectValid && !error.IsUnsupported))
                    {
                        failures.Add($"{description}: expected the 'not supported' error, got {(error is null ? "a parse" : error.Message)}");
                    }
                }
                else if (!expectValid)
                {
                    rejected++;
                    if (error is null)
                    {
                        failures.Add($"{description}: parsed, but must be rejected");
                    }
                }
                else
                {
                    parsed++;
                    if (error is not null)
                    {
                        failures.Add($"{description}: rejected ({error.Message}) but is valid");
                    }
                    else
                    {
                        Compare(description, testCase, settings!, failures);
                    }
                }
            }
        }

        var summary = $"Connection strings: {parsed} valid cases parsed and matched, {rejected} invalid or warning cases rejected, {unsupported} cases using unsupported features refused with the documented error, over {Files.Length} files; {failures.Count} failures.";
        SpecVectors.Report(output, summary);
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures));
        Assert.True(parsed > 30, summary);
    }

    private static bool UsesUnsupportedFeature(string uri, JsonElement testCase)
    {
        if (uri.StartsWith("mongodb+srv:", StringComparison.Ordinal))
        {
            return true;
        }

        if (testCase.TryGetProperty("hosts", out var hosts) && hosts.ValueKind == JsonValueKind.Array
            && hosts.EnumerateArray().Any(h => h.GetProperty("type").GetString() == "unix"))
        {
            return true;
        }

        var question = uri.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return false;
        }

        foreach (var pair in uri[(question + 1)..].Split('&'))
        {
            var parts = pair.Split('=', 2);
            var key = parts[0].ToLowerInvariant();
            if (key.Length > 0 && !MongoConnectionStringParser.SupportedOptions.Contains(key))
            {
                return true;
            }

            if (key == "authmechanism" && parts.Length == 2 && parts[1] is not ("SCRAM-SHA-1" or "SCRAM-SHA-256"))
            {
                return true;
            }
        }

        return false;
    }

    private static void Compare(string description, JsonElement testCase, MongoConnectionSettings settings, List<string> failures)
    {
        if (testCase.TryGetProperty("hosts", out var hosts) && hosts.ValueKind == JsonValueKind.Array)
        {
            var expected = hosts.EnumerateArray().ToList();
            var ok = expected.Count == settings.Hosts.Count && expected.Select((h, i) =>
                string.Equals(h.GetProperty("host").GetString(), settings.Hosts[i].Host, StringComparison.OrdinalIgnoreCase)
                && (h.GetProperty("port").ValueKind == JsonValueKind.Null
                    ? !settings.HostHasPort[i]
                    : settings.HostHasPort[i] && h.GetProperty("port").GetInt32() == settings.Hosts[i].Port)).All(x => x);
            if (!ok)
            {
                failures.Add($"{description}: hosts {string.Join(",", settings.Hosts)} differ from {hosts}");
            }
        }

        if (testCase.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.Object)
        {
            Expect(description, "username", auth.GetProperty("username"), settings.Username, failures);
            Expect(description, "password", auth.GetProperty("password"), settings.Password, failures);
            Expect(description, "db", auth.GetProperty("db"), settings.Database, failures);
        }

        if (testCase.TryGetProperty("credential", out var credential))
        {
            if (credential.ValueKind == JsonValueKind.Null)
            {
                Expect(description, "credential", credential, settings.Username, failures);
            }
            else
            {
                Expect(description, "username", credential.GetProperty("username"), settings.Username, failures);
                Expect(description, "password", credential.GetProperty("password"), settings.Password, failures);
                Expect(description, "source", credential.GetProperty("source"), settings.AuthSource, failures);
                Expect(description, "mechanism", credential.GetProperty("mechanism"), settings.AuthMechanism, failures);
            }
        }

        if (testCase.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Object)
        {
            foreach (var option in options.EnumerateObject())
            {
                var actual = settings.Options.GetValueOrDefault(option.Name.ToLowerInvariant());
                var expected = option.Value.ValueKind switch
                {
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.String => option.Value.GetString(),
                    _ => option.Value.GetRawText(),
                };
                if (!string.Equals(expected, actual, StringComparison.Ordinal))
                {
                    failures.Add($"{description}: option {option.Name} is \"{actual}\", expected \"{expected}\"");
                }
            }
        }
    }

    private static void Expect(string description, string what, JsonElement expected, string? actual, List<string> failures)
    {
        var value = expected.ValueKind == JsonValueKind.Null ? null : expected.GetString();
        if (!string.Equals(value, actual, StringComparison.Ordinal))
        {
            failures.Add($"{description}: {what} is \"{actual}\", expected \"{value}\"");
        }
    }
}
