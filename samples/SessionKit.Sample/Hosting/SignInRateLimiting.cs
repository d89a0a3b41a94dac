using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace SessionKit.Sample.Hosting;

/// <summary>
/// ASP.NET Core's rate limiter on the sign-in endpoints: a fixed window per client IP address, counted by each instance
/// on its own (a limit shared by all instances would need a shared counter, e.g. in Redis). A refused attempt gets 429
/// problem details with <c>Retry-After</c>.
/// </summary>
internal static class SignInRateLimiting
{
    public const string PolicyName = "sign-in";
    public const string SectionName = "RateLimiting:SignIn";

    public static IServiceCollection AddSignInRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new SignInRateLimitOptions();
        StrictConfiguration.Bind(configuration.GetSection(SectionName), options);
        if (options.PermitLimit < 0 || options.Window <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{SectionName}:PermitLimit must be ≥ 0 (0 turns the limit off) and {SectionName}:Window positive.");
        }

        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            limiter.AddPolicy(PolicyName, context => options.PermitLimit == 0
                ? RateLimitPartition.GetNoLimiter("off")
                : RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitLimit,
                    Window = options.Window,
                    QueueLimit = 0,
                }));
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many sign-in attempts",
                Detail = $"Too many sign-in attempts from this address; retry in {seconds} s.",
            },
        });
    }
}
