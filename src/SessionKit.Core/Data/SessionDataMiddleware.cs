using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SessionKit.Authentication;

namespace SessionKit.Data;

/// <summary>
/// Runs around the whole app (added by <see cref="SessionDataStartupFilter"/>): offers <c>HttpContext.Session</c>, saves
/// session data that a response without a body left unsaved, and turns a failed save into a problem-details response
/// (503 when the store did not answer, 413 when the data outgrew its limit) instead of a 500.
/// </summary>
/// <remarks>
/// A response with a body saves the data before its first byte goes out (<see cref="SessionDataResponseBody"/>); when that
/// save fails, the endpoint's write throws before anything was sent, and the failure lands here (or in the app's
/// exception handler first).
/// </remarks>
internal sealed class SessionDataMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<ISessionFeature>() is null)
        {
            context.Features.Set<ISessionFeature>(new SessionKitSessionFeature(context));
        }

        try
        {
            await next(context).ConfigureAwait(false);
            if (!context.Response.HasStarted && context.Features.Get<SessionFeature>() is { HasUnsavedData: true } feature)
            {
                await feature.Data.CommitAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SessionStoreUnavailableException or SessionDataTooLargeException && !context.Response.HasStarted)
        {
            await SessionFailureResponses.TryWriteAsync(context, ex).ConfigureAwait(false);
        }
    }
}
