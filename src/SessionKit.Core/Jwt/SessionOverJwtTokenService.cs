using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SessionKit.Diagnostics;

namespace SessionKit.Jwt;

/// <summary>
/// Signs in and out with session tokens of one session-over-JWT scheme: creates a session (rotating the caller's
/// current one) and returns its signed token; revokes one session or all of a subject's.
/// </summary>
/// <remarks>
/// Registered by <c>AddSessionOverJwt()</c>: resolve <see cref="SessionOverJwtTokenService"/> for the first scheme added, or the
/// keyed service with the scheme name as key when an app has several.
/// </remarks>
public sealed class SessionOverJwtTokenService
{
    private static readonly JsonWebTokenHandler Handler = new();

    private readonly SessionManager _sessions;
    private readonly IOptionsMonitor<SessionOverJwtOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _scheme;

    internal SessionOverJwtTokenService(string scheme, SessionManager sessions, IOptionsMonitor<SessionOverJwtOptions> options, TimeProvider time, ILogger<SessionOverJwtTokenService> logger)
    {
        _scheme = scheme;
        _sessions = sessions;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The authentication scheme whose options (issuer, audience, keys) this service signs with.</summary>
    public string Scheme => _scheme;

    /// <summary>
    /// Creates a session for <paramref name="subject"/> and returns a token for it, signed with the newest key. If
    /// <paramref name="currentToken"/> is a valid token of this scheme, its session is revoked first (a sign-in always
    /// yields a new session id: no fixation).
    /// </summary>
    /// <param name="subject">The user id; goes into the token's <c>sub</c>. Nothing else personal goes into the token.</param>
    /// <param name="claims">Claims kept in the session record (not in the token), or <see langword="null"/>.</param>
    /// <param name="permissions">Permissions kept in the session record, or <see langword="null"/>.</param>
    /// <param name="client">The client's IP address and user agent, or <see langword="null"/>.</param>
    /// <param name="currentToken">The bearer token the caller presented, if any.</param>
    /// <param name="claimsVersion">
    /// The version of the user data the claims come from, as passed to <see cref="SessionAdminService.UpdateSubjectClaimsAsync"/>;
    /// 0 when the app keeps no versions (see <see cref="SessionCreateRequest.ClaimsVersion"/>).
    /// </param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The signed token, its expiry and the new session.</returns>
    /// <exception cref="SessionStoreUnavailableException">The store did not answer.</exception>
    /// <exception cref="InvalidOperationException">The newest key cannot sign (a public-only RSA or EC key).</exception>
    public async Task<SessionOverJwtToken> IssueAsync(
        string subject,
        IEnumerable<SessionClaim>? claims = null,
        IEnumerable<string>? permissions = null,
        SessionClientInfo? client = null,
        string? currentToken = null,
        long claimsVersion = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var options = _options.Get(_scheme);
        var validator = Validator(options);
        var signingKey = validator.SigningKey ?? throw new InvalidOperationException($"Session JWT scheme '{_scheme}' has no signing key.");
        if (signingKey.Key is AsymmetricSecurityKey { PrivateKeyStatus: PrivateKeyStatus.DoesNotExist })
        {
            throw new InvalidOperationException($"The newest key of session JWT scheme '{_scheme}' ('{signingKey.KeyId}') has no private key and cannot sign; add the private key last, or move it before a signing key.");
        }

        string? replaces = null;
        if (!string.IsNullOrEmpty(currentToken))
        {
            var current = await validator.ValidateTokenAsync(currentToken).ConfigureAwait(false);
            replaces = current.Passed ? current.SessionId : null;
        }

        var created = await _sessions.CreateAsync(new SessionCreateRequest
        {
            Subject = subject,
            Scheme = _scheme,
            ClaimsVersion = claimsVersion,
            Claims = claims is null ? [] : [.. claims],
            Permissions = permissions is null ? [] : [.. permissions],
            Client = client ?? SessionClientInfo.None,
            ReplacesSessionId = replaces,
        }, cancellationToken).ConfigureAwait(false);

        var now = _time.GetUtcNow();
        var expires = created.Session.AbsoluteExpiresAt;
        if (options.TokenLifetime is { } lifetime && now + lifetime < expires)
        {
            expires = now + lifetime;
        }

        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            TokenType = SessionOverJwtDefaults.TokenType,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey.Key, signingKey.Algorithm),
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                [SessionOverJwtDefaults.SessionIdClaim] = created.Id,
            },
        });
        _logger.TokenIssued(LoggingExtensions.SessionRef(created.Session.Key), signingKey.KeyId);

        // exp has whole seconds; report what the token says.
        return new SessionOverJwtToken(token, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()), created.Session);
    }

    /// <summary>Revokes the session that authenticated this request (logout). Idempotent.</summary>
    /// <param name="context">The current request, authenticated by a SessionKit scheme.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a live session was revoked.</returns>
    public Task<bool> LogoutAsync(HttpContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetSession() is { } session
            ? _sessions.RevokeAsync(session.Key, SessionRevocationReason.Logout, cancellationToken)
            : Task.FromResult(false);
    }

    /// <summary>Revokes the session a token points to, once its signature and claims are valid (logout by token). Idempotent.</summary>
    /// <param name="token">The bearer token.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a live session was revoked.</returns>
    public async Task<bool> LogoutAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var check = await Validator(_options.Get(_scheme)).ValidateTokenAsync(token).ConfigureAwait(false);
        return check.Passed && await _sessions.RevokeAsync(check.SessionId!, SessionRevocationReason.Logout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes all sessions of the subject of <paramref name="user"/> (logout everywhere).</summary>
    /// <param name="user">A principal built by a SessionKit scheme (its <c>sub</c> claim names the subject).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many sessions were revoked.</returns>
    public Task<int> LogoutEverywhereAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var subject = user.FindFirst(SessionKitClaimTypes.Subject)?.Value
            ?? throw new ArgumentException("The principal has no 'sub' claim; was it authenticated by a SessionKit scheme?", nameof(user));
        return LogoutEverywhereAsync(subject, cancellationToken);
    }

    /// <summary>Revokes all sessions of a subject (logout everywhere, or an administrator's force logout).</summary>
    /// <param name="subject">The subject (user id).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many sessions were revoked.</returns>
    public Task<int> LogoutEverywhereAsync(string subject, CancellationToken cancellationToken = default)
        => _sessions.RevokeSubjectAsync(subject, SessionRevocationReason.LogoutEverywhere, except: null, cancellationToken);

    private SessionTokenValidator Validator(SessionOverJwtOptions options)
        => options.Validator ?? throw new InvalidOperationException($"Session JWT scheme '{_scheme}' is not registered; call AddAuthentication().AddSessionOverJwt().");
}
