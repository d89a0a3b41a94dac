using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Data;

/// <summary>
/// <see cref="ISession"/> (<c>HttpContext.Session</c>) on top of the SessionKit session that authenticated the request,
/// so that code written for ASP.NET Core's session middleware keeps working. Available only on requests a SessionKit
/// scheme authenticated; the data goes with the session (logout, revocation and expiry remove it).
/// </summary>
internal sealed class SessionKitSession(HttpContext context) : ISession
{
    public bool IsAvailable => context.GetSessionData() is not null;

    /// <summary>
    /// A stable identifier of the session for logs and caches, derived from the store key: never the session id, and it
    /// cannot be turned into one or into the store key.
    /// </summary>
    public string Id => context.GetSession() is { } session ? OpaqueId(session.Key) : string.Empty;

    public IEnumerable<string> Keys => context.GetSessionData()?.Keys ?? [];

    public Task LoadAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task CommitAsync(CancellationToken cancellationToken = default)
        => context.GetSessionData() is { } data ? data.CommitAsync(cancellationToken) : Task.CompletedTask;

    public bool TryGetValue(string key, [NotNullWhen(true)] out byte[]? value)
    {
        value = null;
        return context.GetSessionData()?.TryGetValue(key, out value) == true;
    }

    public void Set(string key, byte[] value) => Data().Set(key, value);

    public void Remove(string key) => Data().Remove(key);

    public void Clear() => Data().Clear();

    private SessionData Data() => context.GetSessionData()
        ?? throw new InvalidOperationException("HttpContext.Session is only available on requests authenticated by a SessionKit scheme: sign in first, or check ISession.IsAvailable.");

    private static string OpaqueId(SessionKey key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes("sessionkit-isession-id:" + key.Hash), hash);
        return Base64Url.EncodeToString(hash[..16]);
    }
}
