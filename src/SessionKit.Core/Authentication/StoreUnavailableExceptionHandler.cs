using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Authentication;

/// <summary>
/// Answers 503 with problem details when a <see cref="SessionStoreUnavailableException"/> escapes an endpoint (for
/// example a sign-in while the store is down), instead of a 500. Active when the app calls <c>UseExceptionHandler()</c>.
/// </summary>
internal sealed class StoreUnavailableExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not SessionStoreUnavailableException)
        {
            return false;
        }

        await ProblemResponses.WriteStoreUnavailableAsync(httpContext.Response).ConfigureAwait(false);
        return true;
    }
}
