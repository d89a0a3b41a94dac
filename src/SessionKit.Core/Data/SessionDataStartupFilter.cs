using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace SessionKit.Data;

/// <summary>Puts <see cref="SessionDataMiddleware"/> in front of the app's own pipeline.</summary>
internal sealed class SessionDataStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
        => app =>
        {
            app.UseMiddleware<SessionDataMiddleware>();
            next(app);
        };
}
