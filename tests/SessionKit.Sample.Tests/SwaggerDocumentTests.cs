using System.Text.Json;

namespace SessionKit.Sample.Tests;

/// <summary>
/// The OpenAPI document at /swagger/v1/swagger.json: both credentials defined, a lock exactly where an operation needs a
/// session (for the schemes it accepts), one tag per scenario, success and error responses documented.
/// </summary>
public sealed class SwaggerDocumentTests(SampleAppFactory app) : IClassFixture<SampleAppFactory>
{
    private const string Bearer = "Bearer";
    private const string Cookie = "SessionCookie";

    // Every documented operation: its tag, the credentials it accepts (none: anonymous) and whether it reads a JSON body.
    private static readonly Dictionary<string, (string Tag, string[] Credentials, bool Body)> Expected = new()
    {
        ["POST /login"] = ("Scenario A: session over JWT", [], true),
        ["GET /member"] = ("Scenario A: session over JWT", [Bearer], false),
        ["POST /logout"] = ("Scenario A: session over JWT", [Bearer], false),
        ["POST /user"] = ("Scenario B: cookie sessions", [], true),
        ["POST /user/login"] = ("Scenario B: cookie sessions", [], true),
        ["POST /user/assign"] = ("Scenario B: cookie sessions", [Cookie], true),
        ["POST /user/logout"] = ("Scenario B: cookie sessions", [Cookie], false),
        ["GET /user/me"] = ("Scenario B: cookie sessions", [Cookie], false),
        ["GET /sessions"] = ("My sessions", [Bearer, Cookie], false),
        ["DELETE /sessions/{id}"] = ("My sessions", [Bearer, Cookie], false),
        ["POST /sessions/revoke-others"] = ("My sessions", [Bearer, Cookie], false),
        ["GET /sessions/current/preferences"] = ("My sessions", [Bearer, Cookie], false),
        ["PUT /sessions/current/preferences"] = ("My sessions", [Bearer, Cookie], true),
        ["POST /admin/sessions/revoke-all"] = ("Operators", [Bearer, Cookie], false),
        ["POST /admin/users/{username}/logout"] = ("Operators", [Bearer, Cookie], false),
        ["GET /admin/sessions"] = ("Operators", [Bearer, Cookie], false),
        ["DELETE /admin/sessions/{key}"] = ("Operators", [Bearer, Cookie], false),
    };

    [Fact]
    public async Task The_document_defines_a_bearer_scheme_and_a_cookie_scheme_and_no_global_lock()
    {
        var document = await DocumentAsync();

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("http", schemes.GetProperty(Bearer).GetProperty("type").GetString());
        Assert.Equal("bearer", schemes.GetProperty(Bearer).GetProperty("scheme").GetString());
        Assert.Equal("apiKey", schemes.GetProperty(Cookie).GetProperty("type").GetString());
        Assert.Equal("cookie", schemes.GetProperty(Cookie).GetProperty("in").GetString());
        Assert.Equal("__Host-session", schemes.GetProperty(Cookie).GetProperty("name").GetString());
        Assert.False(document.TryGetProperty("security", out _));
        Assert.Equal(
            ["Scenario A: session over JWT", "Scenario B: cookie sessions", "My sessions", "Operators"],
            document.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToArray());
    }

    [Fact]
    public async Task Every_operation_is_documented_with_its_tag_and_exactly_the_credentials_it_accepts()
    {
        var operations = Operations(await DocumentAsync());

        Assert.Equal(Expected.Keys.Order(), operations.Keys.Order());
        foreach (var (name, operation) in operations)
        {
            var (tag, credentials, _) = Expected[name];
            Assert.Equal([tag], operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
            var documented = operation.TryGetProperty("security", out var security)
                ? security.EnumerateArray().SelectMany(requirement => requirement.EnumerateObject().Select(p => p.Name)).Order().ToArray()
                : [];
            Assert.True(credentials.Order().SequenceEqual(documented), $"{name}: expected [{string.Join(", ", credentials)}], documented [{string.Join(", ", documented)}]");
        }
    }

    [Fact]
    public async Task Every_operation_documents_its_success_and_its_error_responses()
    {
        foreach (var (name, operation) in Operations(await DocumentAsync()))
        {
            var (_, credentials, body) = Expected[name];
            var responses = operation.GetProperty("responses").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
            Assert.True(responses.TryGetValue("200", out var ok) && ok.TryGetProperty("content", out _), name + ": a 200 with content");
            var required = new List<string>();
            if (credentials.Length > 0)
            {
                required.AddRange(["401", "503"]);
            }

            if (body)
            {
                required.AddRange(["400", "413", "415"]);
            }

            if (name is "POST /login" or "POST /user/login")
            {
                required.AddRange(["401", "429", "503"]);
            }

            foreach (var status in required)
            {
                Assert.True(responses.TryGetValue(status, out var error), $"{name}: documents {status}");
                Assert.True(error.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{name}: {status} is problem details");
            }
        }
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = app.CreateClient();
        return JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement.Clone();
    }

    private static Dictionary<string, JsonElement> Operations(JsonElement document)
        => document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Name: op.Name.ToUpperInvariant() + " " + path.Name, op.Value)))
            .ToDictionary(op => op.Name, op => op.Value);
}
