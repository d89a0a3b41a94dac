using Microsoft.AspNetCore.Diagnostics;

namespace SessionKit.Authentication;

/// <summary>
/// Gives SessionKit's failures the same 503 / 413 answers in Development as in production: the developer exception page
/// (which WebApplication puts in front of the app's middleware in Development) would otherwise catch them first and
/// answer 500. Every other exception still gets the developer page.
/// </summary>
internal sealed class SessionFailureDeveloperPageFilter : IDeveloperPageExceptionFilter
{
    public async Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(errorContext);
        ArgumentNullException.ThrowIfNull(next);
        if (!await SessionFailureResponses.TryWriteAsync(errorContext.HttpContext, errorContext.Exception).ConfigureAwait(false))
        {
            await next(errorContext).ConfigureAwait(false);
        }
    }
}
