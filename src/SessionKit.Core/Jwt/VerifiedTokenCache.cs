using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace SessionKit.Jwt;

/// <summary>
/// Remembers bearer tokens that passed every check of their own (shape, header, signature, type, issuer, audience,
/// unique JSON members, <c>sid</c> and <c>sub</c>), so a client's next requests with the same token skip the parsing and
/// the HMAC — about as costly as the rest of an authenticated request — and the SHA-256 of its session id. Only the
/// lifetime depends on the time, so it is checked again on every hit. A pure memo: the session is still looked up in
/// the store on every request (revocation is never cached here), and a miss only costs the full check again.
/// </summary>
/// <remarks>
/// <para>Only tokens this server signed get in (a forged or altered token fails its signature and is never added), so
/// the content cannot be chosen by an attacker without signing in. The size is bounded by the tokens' total length:
/// when full, the cache is emptied and refills with the tokens in use. A validator (and so its cache) belongs to one
/// options instance: a change of keys, issuer or audience builds a new, empty one. An entry leaves when its token is
/// seen again expired or with its session gone, or when the cache is emptied: tokens no client presents any more stay
/// until then, which the bound allows for.</para>
/// <para>Keys are the token strings themselves, compared ordinally: the process already holds each token for its
/// request, and the dictionary's randomized string hashing keeps lookups from being steered into one bucket.</para>
/// </remarks>
internal sealed class VerifiedTokenCache(int capacityInChars)
{
    private readonly ConcurrentDictionary<string, VerifiedToken> _tokens = new(StringComparer.Ordinal);
    private long _chars;

    public bool TryGet(string token, [NotNullWhen(true)] out VerifiedToken? verified)
        => _tokens.TryGetValue(token, out verified);

    public void Add(string token, VerifiedToken verified)
    {
        if (token.Length > capacityInChars)
        {
            return;
        }

        if (Interlocked.Read(ref _chars) + token.Length > capacityInChars)
        {
            _tokens.Clear();
            Interlocked.Exchange(ref _chars, 0);
        }

        if (_tokens.TryAdd(token, verified))
        {
            Interlocked.Add(ref _chars, token.Length);
        }
    }

    public void Remove(string token)
    {
        if (_tokens.TryRemove(token, out _))
        {
            Interlocked.Add(ref _chars, -token.Length);
        }
    }
}
