namespace SessionKit.Sample.Hosting;

/// <summary>The limit on sign-in attempts (<c>POST /login</c>, <c>POST /user/login</c>): the <c>RateLimiting:SignIn</c> section.</summary>
internal sealed class SignInRateLimitOptions
{
    /// <summary>Attempts allowed per client IP address and window, on each instance; 0 turns the limit off (load tests). Defaults to 10.</summary>
    public int PermitLimit { get; set; } = 10;

    /// <summary>The fixed window the attempts are counted in. Defaults to one minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
