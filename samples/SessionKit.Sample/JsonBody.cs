using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace SessionKit.Sample;

/// <summary>
/// Reads a JSON request body, turning every kind of bad body into problem details instead of a 500: malformed or
/// mistyped JSON (400), another media type (415), and what Kestrel refuses while the body is read — over
/// <see cref="MaxBytes"/> (413), malformed chunked encoding or shorter than its Content-Length (400), too slow (408).
/// </summary>
internal static class JsonBody
{
    /// <summary>The largest body the sample's JSON endpoints accept (their bodies are a few hundred bytes).</summary>
    public const long MaxBytes = 16 * 1024;

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, string expectedShape)
        where T : class
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // Applies to chunked bodies too, which announce no length: Kestrel stops reading past the limit (413).
            limit.MaxRequestBodySize = MaxBytes;
        }

        if (context.Request.ContentLength > MaxBytes)
        {
            // Answering before reading spares the work (Kestrel would refuse the body on the first read).
            return (null, Results.Problem(Problem(new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge))));
        }

        try
        {
            var value = await context.Request.ReadFromJsonAsync<T>(context.RequestAborted);
            return value is null ? (null, Invalid(expectedShape)) : (value, null);
        }
        catch (JsonException)
        {
            return (null, Invalid(expectedShape));
        }
        catch (BadHttpRequestException exception)
        {
            return (null, Results.Problem(Problem(exception)));
        }
        catch (InvalidOperationException)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the body as application/json."));
        }
    }

    /// <summary>The problem details for a request Kestrel refused while it was read.</summary>
    public static ProblemDetails Problem(BadHttpRequestException exception) => exception.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => new ProblemDetails
        {
            Status = StatusCodes.Status413PayloadTooLarge,
            Title = "Request body too large",
            Detail = $"The body must be at most {MaxBytes} bytes.",
        },
        StatusCodes.Status408RequestTimeout => new ProblemDetails
        {
            Status = StatusCodes.Status408RequestTimeout,
            Title = "Request body too slow",
            Detail = "The body arrived too slowly.",
        },
        var status => new ProblemDetails
        {
            Status = status,
            Title = "Bad request body",
            Detail = "The body was malformed or ended before its announced length.",
        },
    };

    private static IResult Invalid(string expectedShape)
        => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request body", detail: $"The body must be JSON: {expectedShape}.");
}
