using Microsoft.AspNetCore.Http;

namespace SessionKit.Authentication;

/// <summary>
/// The one answer to a SessionKit failure that escaped an endpoint, whichever layer catches it first (SessionKit's own
/// outer middleware, the app's <c>UseExceptionHandler()</c>, or the developer exception page): 503 when the store did
/// not answer, 413 when session data outgrew its limit, and the request's unsaved session data dropped, so a failed
/// request never saves half of its changes.
/// </summary>
internal static class SessionFailureResponses
{
    public static async ValueTask<bool> TryWriteAsync(HttpContext context, Exception exception)
    {
        if (exception is not (SessionStoreUnavailableException or SessionDataTooLargeException) || context.Response.HasStarted)
        {
            return false;
        }

        context.Features.Get<SessionFeature>()?.Data.Discard();
        context.Response.Clear();
        await (exception is SessionDataTooLargeException
            ? ProblemResponses.WriteSessionDataTooLargeAsync(context.Response)
            : ProblemResponses.WriteStoreUnavailableAsync(context.Response)).ConfigureAwait(false);
        return true;
    }
}
