using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Jwt;

/// <summary>
/// Options of the session-over-JWT scheme (<c>AddSessionOverJwt()</c>). The token is only an envelope: it carries the
/// session id (<c>sid</c>), and the request is authenticated by the live session in the store.
/// </summary>
public sealed class SessionOverJwtOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates the options with their defaults.</summary>
    public SessionOverJwtOptions() => Events = new SessionOverJwtEvents();

    /// <summary>The scheme's callbacks. Defaults to a <see cref="SessionOverJwtEvents"/> whose callbacks do nothing.</summary>
    public new SessionOverJwtEvents Events
    {
        get => (SessionOverJwtEvents)base.Events!;
        set => base.Events = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The <c>iss</c> written into tokens and required on validation. Required; no default.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> written into tokens and required on validation. Required; no default.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// The keys, each with its one algorithm and a unique <c>kid</c>. Every key validates; the <b>last</b> one (the newest)
    /// signs new tokens. To rotate: append the new key, and remove the old one once the tokens it signed have expired.
    /// At least one key is required; empty by default.
    /// </summary>
    public IList<SessionOverJwtSigningKey> SigningKeys { get; } = new List<SessionOverJwtSigningKey>();

    /// <summary>
    /// The algorithm allow-list: a token whose <c>alg</c> is not listed is refused before its signature is checked, and
    /// every key's algorithm must be listed. Defaults to <see cref="SessionOverJwtDefaults.AllowedAlgorithms"/>
    /// (<c>HS256</c>, <c>RS256</c>, <c>ES256</c>). <c>none</c> is never accepted.
    /// </summary>
    public IList<string> AllowedAlgorithms { get; } = new List<string>(SessionOverJwtDefaults.AllowedAlgorithms);

    /// <summary>
    /// The tolerance for clock differences when checking <c>exp</c> and <c>nbf</c>. At most 30 seconds unless
    /// <see cref="AllowLargeClockSkew"/> is set. Defaults to 30 seconds.
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = SessionOverJwtDefaults.ClockSkew;

    /// <summary>Allows a <see cref="ClockSkew"/> above 30 seconds (not recommended). Defaults to <see langword="false"/>.</summary>
    public bool AllowLargeClockSkew { get; set; }

    /// <summary>
    /// The longest bearer token accepted, in characters; longer ones are refused unread. Defaults to
    /// <see cref="SessionOverJwtDefaults.MaxTokenLength"/> (8192).
    /// </summary>
    public int MaxTokenLength { get; set; } = SessionOverJwtDefaults.MaxTokenLength;

    /// <summary>
    /// The lifetime of issued tokens. A token never outlives its session's absolute expiry; <see langword="null"/> makes
    /// every token expire exactly then (the session's idle timeout is still enforced by the store on every request).
    /// Defaults to <see langword="null"/>.
    /// </summary>
    public TimeSpan? TokenLifetime { get; set; }

    /// <summary>
    /// Path prefixes (for example <c>/hubs</c>) on which a request without an <c>Authorization</c> header may carry its token
    /// in the <c>access_token</c> query parameter, as SignalR's and other WebSocket and Server-Sent Events clients send it
    /// (browsers cannot set headers there). SessionKit takes the parameter out of the request's query string before
    /// ASP.NET Core's hosting layer logs the request, so the token reaches neither request logs nor app code. Read once
    /// at start-up. Empty (tokens only in the header) by default.
    /// </summary>
    public IList<PathString> QueryStringTokenPaths { get; } = new List<PathString>();

    /// <summary>The compiled validation state, built by the post-configure step from the options above.</summary>
    internal SessionTokenValidator? Validator { get; set; }
}
