using System.Text.Json;

namespace SessionKit.Sample;

/// <summary>Reads a JSON request body, turning malformed or mistyped input into a 400/415 problem instead of a 500.</summary>
internal static class JsonBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, string expectedShape)
        where T : class
    {
        try
        {
            var value = await context.Request.ReadFromJsonAsync<T>(context.RequestAborted);
            return value is null ? (null, Invalid(expectedShape)) : (value, null);
        }
        catch (JsonException)
        {
            return (null, Invalid(expectedShape));
        }
        catch (InvalidOperationException)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the body as application/json."));
        }
    }

    private static IResult Invalid(string expectedShape)
        => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request body", detail: $"The body must be JSON: {expectedShape}.");
}
