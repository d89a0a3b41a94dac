using Microsoft.Extensions.Options;

namespace SessionKit.Jwt;

/// <summary>
/// Compiles the configured options into the scheme's <see cref="SessionTokenValidator"/> once, so that requests do not
/// rebuild validation parameters or key lookups. Never throws: <see cref="SessionOverJwtOptionsValidator"/> reports problems.
/// </summary>
internal sealed class PostConfigureSessionOverJwtOptions(TimeProvider time) : IPostConfigureOptions<SessionOverJwtOptions>
{
    public void PostConfigure(string? name, SessionOverJwtOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validator = new SessionTokenValidator(options, options.TimeProvider ?? time);
    }
}
