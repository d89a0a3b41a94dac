using System.Buffers;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SessionKit.Jwt;

/// <summary>
/// Checks bearer tokens for one scheme under RFC 8725 rules, then (separately) loads the session they point to.
/// Built once per options instance by <see cref="PostConfigureSessionOverJwtOptions"/>; thread-safe.
/// </summary>
/// <remarks>
/// Order matters: the cheap shape checks and the signature and claims checks run first and never touch the store,
/// so garbage and forgeries cost no store call; only a token this server signed reaches
/// <see cref="SessionManager.ValidateAsync"/>.
/// </remarks>
internal sealed class SessionTokenValidator
{
    // ≈ 10,000 typical tokens: ≈ 8 MB of their UTF-16, ≈ 12–15 MB with the entries (ids, keys, dictionary nodes).
    private const int VerifiedTokenCacheChars = 4_000_000;
    private static readonly SecurityKey[] NoKeys = [];
    private static readonly SearchValues<char> Base64UrlOrDot = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    private readonly JsonWebTokenHandler _handler;
    private readonly TokenValidationParameters _parameters;
    private readonly Dictionary<string, (string Algorithm, SecurityKey[] Keys)> _keysById;
    private readonly int _maxTokenLength;
    private readonly TimeSpan _clockSkew;
    private readonly TimeProvider _time;
    private readonly VerifiedTokenCache _verified = new(VerifiedTokenCacheChars);

    public SessionTokenValidator(SessionOverJwtOptions options, TimeProvider time)
    {
        _time = time;
        _maxTokenLength = options.MaxTokenLength;
        _clockSkew = options.ClockSkew;
        _keysById = new Dictionary<string, (string, SecurityKey[])>(StringComparer.Ordinal);
        foreach (var key in options.SigningKeys)
        {
            if (!string.IsNullOrEmpty(key.KeyId))
            {
                _keysById.TryAdd(key.KeyId, (key.Algorithm, [key.Key]));
            }
        }

        SigningKey = options.SigningKeys.Count > 0 ? options.SigningKeys[^1] : null;
        _handler = new JsonWebTokenHandler { MaximumTokenSizeInBytes = Math.Max(options.MaxTokenLength, 1) };
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidateIssuer = true,
            ValidAudience = options.Audience,
            ValidateAudience = true,
            RequireAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            LifetimeValidator = ValidateLifetime,
            ClockSkew = options.ClockSkew,
            ValidTypes = [SessionOverJwtDefaults.TokenType],
            ValidAlgorithms = [.. options.AllowedAlgorithms.Where(a => !string.Equals(a, SecurityAlgorithms.None, StringComparison.OrdinalIgnoreCase))],
            RequireSignedTokens = true,
            IssuerSigningKeyResolver = ResolveKeys,
            TryAllIssuerSigningKeys = false,
            ValidateIssuerSigningKey = false,
            ValidateTokenReplay = false,
            SaveSigninToken = false,
        };
    }

    /// <summary>The validation parameters given to the token library (for benchmarks).</summary>
    internal TokenValidationParameters Parameters => _parameters;

    /// <summary>The key new tokens are signed with: the last configured one, or <see langword="null"/> when none.</summary>
    public SessionOverJwtSigningKey? SigningKey { get; }

    /// <summary>Checks the token itself (shape, header, signature, <c>typ</c>, <c>iss</c>, <c>aud</c>, lifetime, <c>sid</c>, <c>sub</c>) without any store call.</summary>
    public ValueTask<SessionTokenCheck> ValidateTokenAsync(string token)
    {
        var shape = CheckShape(token);
        if (shape != SessionTokenRejection.None)
        {
            return new(SessionTokenCheck.Rejected(shape));
        }

        // A token that makes the parser throw is still just a bad token (401, never 500). Only token checks run in these
        // guards: the store is never called from here, so no outage can be mistaken for a bad token.
        try
        {
            // The library completes synchronously unless a key resolver is asynchronous: no state machine on the hot path.
            var validation = _handler.ValidateTokenAsync(token, _parameters);
            return validation.IsCompletedSuccessfully
                ? new(Inspect(token, validation.Result))
                : AwaitAndInspectAsync(token, validation);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new(SessionTokenCheck.ParserThrew(ex));
        }
    }

    private static async ValueTask<SessionTokenCheck> AwaitAndInspectAsync(string token, Task<TokenValidationResult> validation)
    {
        try
        {
            return Inspect(token, await validation.ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return SessionTokenCheck.ParserThrew(ex);
        }
    }

    private static SessionTokenCheck Inspect(string token, TokenValidationResult result)
    {
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return SessionTokenCheck.Rejected(Classify(result.Exception));
        }

        // RFC 7515 §4.1.11: a token whose "crit" lists extensions we do not understand must be refused;
        // SessionKit understands none, so any "crit" is refused.
        var headerEnd = token.IndexOf('.', StringComparison.Ordinal);
        if (jwt.TryGetHeaderValue<object>("crit", out _) || !StrictJsonMembers.Check(token.AsSpan(0, headerEnd), isClaims: false))
        {
            return SessionTokenCheck.Rejected(SessionTokenRejection.Header);
        }

        var payloadEnd = token.IndexOf('.', headerEnd + 1);
        if (!StrictJsonMembers.Check(token.AsSpan(headerEnd + 1, payloadEnd - headerEnd - 1), isClaims: true))
        {
            return SessionTokenCheck.Rejected(SessionTokenRejection.Claims);
        }

        // Exact JSON types: a number or array "sid" must not be coerced into a string.
        if (!jwt.TryGetPayloadValue<object>(SessionOverJwtDefaults.SessionIdClaim, out var sid) || sid is not string sessionId
            || !jwt.TryGetPayloadValue<object>(JwtRegisteredClaimNames.Sub, out var sub) || sub is not string subject || subject.Length == 0)
        {
            return SessionTokenCheck.Rejected(SessionTokenRejection.Claims);
        }

        return SessionTokenCheck.TokenPassed(sessionId, subject, jwt.ValidTo, jwt.ValidFrom == DateTime.MinValue ? null : jwt.ValidFrom);
    }

    /// <summary>
    /// Checks the token, then — only if it passed — loads its session through the session manager (expiry, coalesced touch).
    /// A token already verified by this validator skips its own checks but the lifetime (see <see cref="VerifiedTokenCache"/>);
    /// the session is looked up either way.
    /// </summary>
    /// <exception cref="SessionStoreUnavailableException">The store did not answer.</exception>
    public async Task<SessionTokenCheck> ValidateSessionAsync(string token, SessionManager sessions, string scheme, CancellationToken cancellationToken)
    {
        if (_verified.TryGet(token, out var verified))
        {
            if (IsWithinLifetime(verified.NotBefore, verified.Expires))
            {
                var check = SessionTokenCheck.TokenPassed(verified.SessionId, verified.Subject, verified.Expires, verified.NotBefore);
                var known = await sessions.ValidateKeyAsync(verified.Key, scheme, cancellationToken).ConfigureAwait(false);
                if (!known.IsValid)
                {
                    _verified.Remove(token);
                }

                return WithSession(check, known);
            }

            _verified.Remove(token); // Expired: the full check below refuses it with the library's own reason.
        }

        var tokenCheck = await ValidateTokenAsync(token).ConfigureAwait(false);
        if (!tokenCheck.Passed)
        {
            return tokenCheck;
        }

        // The manager parses (and rejects malformed ids without a store call).
        var result = await sessions.ValidateAsync(tokenCheck.SessionId!, scheme, cancellationToken).ConfigureAwait(false);
        if (result.IsValid && string.Equals(result.Session!.Subject, tokenCheck.Subject, StringComparison.Ordinal))
        {
            _verified.Add(token, new VerifiedToken(tokenCheck.SessionId!, tokenCheck.Subject!, tokenCheck.Expires, tokenCheck.NotBefore, result.Session.Key));
        }

        return WithSession(tokenCheck, result);
    }

    private static SessionTokenCheck WithSession(SessionTokenCheck check, SessionValidationResult result) => result.Status switch
    {
        SessionValidationStatus.Valid when string.Equals(result.Session!.Subject, check.Subject, StringComparison.Ordinal) => check.WithSession(result.Session),
        SessionValidationStatus.Valid => SessionTokenCheck.Rejected(SessionTokenRejection.SubjectMismatch),
        SessionValidationStatus.Malformed => SessionTokenCheck.Rejected(SessionTokenRejection.MalformedSessionId),
        SessionValidationStatus.Expired => SessionTokenCheck.Rejected(SessionTokenRejection.SessionExpired),
        _ => SessionTokenCheck.Rejected(SessionTokenRejection.SessionNotFound),
    };

    /// <summary>
    /// Compact JWS only (RFC 8725 §3.7): three non-empty base64url segments, so JWE (five segments), the JSON
    /// serialization, unsigned tokens and oversized input are refused before any decoding.
    /// </summary>
    private SessionTokenRejection CheckShape(string token)
    {
        if (token.Length > _maxTokenLength)
        {
            return SessionTokenRejection.TooLong;
        }

        var rest = token.AsSpan();
        if (rest.IndexOfAnyExcept(Base64UrlOrDot) >= 0)
        {
            return SessionTokenRejection.Malformed;
        }

        for (var segment = 0; segment < 2; segment++)
        {
            var dot = rest.IndexOf('.');
            if (dot <= 0)
            {
                return SessionTokenRejection.Malformed;
            }

            rest = rest[(dot + 1)..];
        }

        return rest.Length > 0 && !rest.Contains('.') ? SessionTokenRejection.None : SessionTokenRejection.Malformed;
    }

    /// <summary>
    /// <c>kid</c> is untrusted input: it is only looked up among the configured keys, and the key found must be the one
    /// registered for the token's <c>alg</c> (one algorithm per key). <c>jku</c>, <c>x5u</c>, <c>jwk</c> and <c>x5t</c> are ignored.
    /// </summary>
    private SecurityKey[] ResolveKeys(string token, SecurityToken securityToken, string kid, TokenValidationParameters parameters)
        => !string.IsNullOrEmpty(kid)
           && _keysById.TryGetValue(kid, out var entry)
           && securityToken is JsonWebToken jwt
           && string.Equals(jwt.Alg, entry.Algorithm, StringComparison.Ordinal)
            ? entry.Keys
            : NoKeys;

    // TimeProvider rather than the library's DateTime.UtcNow, so tests and the session manager share one clock.
    // Comparisons are written so that extreme exp/nbf values cannot overflow.
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
        => IsWithinLifetime(notBefore, expires);

    private bool IsWithinLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } exp
               && now - _clockSkew < exp
               && (notBefore is not { } nbf || nbf <= now + _clockSkew);
    }

    private static SessionTokenRejection Classify(Exception? exception) => exception switch
    {
        SecurityTokenInvalidAlgorithmException => SessionTokenRejection.Header,
        SecurityTokenInvalidSignatureException => SessionTokenRejection.Signature, // includes "key not found"
        SecurityTokenInvalidTypeException => SessionTokenRejection.Type,
        SecurityTokenInvalidIssuerException => SessionTokenRejection.Issuer,
        SecurityTokenInvalidAudienceException => SessionTokenRejection.Audience,
        SecurityTokenInvalidLifetimeException or SecurityTokenNoExpirationException or SecurityTokenExpiredException or SecurityTokenNotYetValidException => SessionTokenRejection.Lifetime,
        _ => SessionTokenRejection.Malformed,
    };
}
