using Microsoft.AspNetCore.Diagnostics;

namespace SessionKit.Sample;

/// <summary>
/// Turns <see cref="SessionStoreUnavailableException"/> thrown by an endpoint (login, logout, admin) into 503 problem
/// details, like the authentication handler does: the client should retry, not sign in again.
/// </summary>
internal sealed class StoreUnavailableExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not SessionStoreUnavailableException)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service Unavailable",
                Detail = "The session store is unavailable. Retry later.",
            },
        });
    }
}
