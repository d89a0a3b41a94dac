using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SessionKit.Jwt;

/// <summary>
/// Writes a token response (RFC 6749 §5.1) that no cache may keep. Written with <see cref="Utf8JsonWriter"/>, so the
/// library stays trimming- and AOT-safe; <c>expires_in</c> is computed when the response is written, with the app's clock.
/// </summary>
internal sealed class SessionOverJwtTokenResult(SessionOverJwtToken token) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var now = (httpContext.RequestServices?.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(token.AccessToken.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("access_token", token.AccessToken);
            writer.WriteString("token_type", SessionOverJwtToken.TokenType);
            writer.WriteNumber("expires_in", Math.Max(0, (long)(token.ExpiresAt - now).TotalSeconds));
            writer.WriteString("expires_at", token.ExpiresAt);
            writer.WriteEndObject();
        }

        await response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
