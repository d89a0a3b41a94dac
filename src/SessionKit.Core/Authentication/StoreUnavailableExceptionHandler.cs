using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Authentication;

/// <summary>
/// Answers 503 with problem details when a <see cref="SessionStoreUnavailableException"/> escapes an endpoint (for
/// example a sign-in while the store is down), and 413 for a <see cref="SessionDataTooLargeException"/> the endpoint did
/// not handle, instead of a 500. Active when the app calls <c>UseExceptionHandler()</c>.
/// </summary>
internal sealed class StoreUnavailableExceptionHandler : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        => SessionFailureResponses.TryWriteAsync(httpContext, exception);
}
