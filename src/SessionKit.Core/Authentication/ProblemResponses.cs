using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Authentication;

/// <summary>
/// RFC 9457 problem-details bodies for the handlers' own responses (401, 403, 503), written with
/// <see cref="Utf8JsonWriter"/> so the libraries stay trimming- and AOT-safe.
/// </summary>
internal static class ProblemResponses
{
    /// <summary>How long clients are told to wait before retrying when the store is down.</summary>
    public const int RetryAfterSeconds = 5;

    public static Task WriteStoreUnavailableAsync(HttpResponse response)
    {
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteAsync(response, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
            "The session store is unavailable; the request was not authenticated. Retry later with the same credentials.",
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4");
    }

    public static Task WriteSessionDataTooLargeAsync(HttpResponse response)
        => WriteAsync(response, StatusCodes.Status413PayloadTooLarge, "Content Too Large",
            "The session's data would exceed its size limit; nothing was saved.",
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14");

    public static Task WriteUnauthorizedAsync(HttpResponse response, string detail)
        => WriteAsync(response, StatusCodes.Status401Unauthorized, "Unauthorized", detail,
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2");

    public static Task WriteForbiddenAsync(HttpResponse response, string detail)
        => WriteAsync(response, StatusCodes.Status403Forbidden, "Forbidden", detail,
            "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4");

    private static async Task WriteAsync(HttpResponse response, int status, string title, string detail, string type)
    {
        response.StatusCode = status;
        if (response.HasStarted)
        {
            return;
        }

        response.ContentType = "application/problem+json";
        response.Headers.CacheControl = "no-store";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("title", title);
            writer.WriteNumber("status", status);
            writer.WriteString("detail", detail);
            writer.WriteString("traceId", System.Diagnostics.Activity.Current?.Id ?? response.HttpContext.TraceIdentifier);
            writer.WriteEndObject();
        }

        await response.Body.WriteAsync(buffer.WrittenMemory, response.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}
