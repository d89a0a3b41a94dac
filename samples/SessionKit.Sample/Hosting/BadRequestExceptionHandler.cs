using Microsoft.AspNetCore.Diagnostics;

namespace SessionKit.Sample.Hosting;

/// <summary>
/// Answers a request Kestrel found bad while the app read it — a body over the size limit (413), malformed chunked
/// encoding or a body shorter than its Content-Length (400), a body sent too slowly (408) — with that status as
/// problem details, never as a 500. Endpoints that read their body themselves catch it first (<see cref="JsonBody"/>);
/// this handler covers every other read.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest || httpContext.Response.HasStarted)
        {
            return ValueTask.FromResult(false);
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = JsonBody.Problem(badRequest),
        });
    }
}
