using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SessionKit.Authentication;
using SessionKit.Data;

namespace SessionKit;

/// <summary>
/// The current request's view of its session's data (<see cref="SessionRecord.Data"/>): read it, change it; the changes
/// are saved once, before the first byte of the response is sent (or at the end of a response without a body), or when
/// <see cref="CommitAsync"/> is called. Get it with
/// <c>HttpContext.GetSessionData()</c>. Not thread-safe, like the request itself.
/// </summary>
/// <remarks>
/// Saving re-applies this request's changes (per key: set or remove) on top of what the store holds, with
/// compare-and-set, so concurrent requests that change different keys keep each other's changes, and on one key the
/// last save wins. A save that fails fails the request with 503; logout, revocation and expiry remove the data.
/// </remarks>
public sealed class SessionData
{
    private readonly SessionFeature _feature;
    private readonly Dictionary<string, byte[]?> _changes = new(StringComparer.Ordinal);
    private bool _saveRegistered;

    internal SessionData(SessionFeature feature) => _feature = feature;

    /// <summary>The keys present, with this request's changes applied.</summary>
    public IEnumerable<string> Keys => View().Keys;

    internal bool IsDirty => _changes.Count > 0;

    /// <summary>Reads a value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, when present.</param>
    /// <returns><see langword="true"/> when the key is present.</returns>
    public bool TryGetValue(string key, [NotNullWhen(true)] out byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_changes.TryGetValue(key, out value))
        {
            return value is not null;
        }

        return _feature.Session.Data.TryGetValue(key, out value);
    }

    /// <summary>Reads a UTF-8 string value.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value, or <see langword="null"/> when the key is absent.</returns>
    public string? GetString(string key) => TryGetValue(key, out var value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>Sets a value (saved with the response).</summary>
    /// <param name="key">The key; not empty.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="SessionDataTooLargeException">The data would exceed <see cref="SessionKitOptions.MaxDataBytes"/>; nothing changed.</exception>
    public void Set(string key, byte[] value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        var size = SessionDataSize.Of(View()) - (TryGetValue(key, out var old) ? SessionDataSize.Of(key, old) : 0) + SessionDataSize.Of(key, value);
        var limit = _feature.Manager.Options.MaxDataBytes;
        if (size > limit)
        {
            throw new SessionDataTooLargeException(size, limit);
        }

        Change(key, (byte[])value.Clone());
    }

    /// <summary>Sets a string value, stored as UTF-8 (saved with the response).</summary>
    /// <param name="key">The key; not empty.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="SessionDataTooLargeException">The data would exceed <see cref="SessionKitOptions.MaxDataBytes"/>; nothing changed.</exception>
    public void SetString(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Set(key, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Removes a key (saved with the response).</summary>
    /// <param name="key">The key.</param>
    public void Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (TryGetValue(key, out _))
        {
            Change(key, null);
        }
    }

    /// <summary>Removes every key (saved with the response).</summary>
    public void Clear()
    {
        foreach (var key in View().Keys.ToArray())
        {
            Change(key, null);
        }
    }

    /// <summary>
    /// Saves this request's changes now (nothing happens when there are none). The response would otherwise save them
    /// just before it starts.
    /// </summary>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>A task that completes when the changes are saved.</returns>
    /// <exception cref="SessionDataTooLargeException">Together with changes saved concurrently, the data would exceed the limit; nothing was saved.</exception>
    /// <exception cref="SessionStoreUnavailableException">The store did not answer; nothing was saved.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        if (_changes.Count == 0)
        {
            return;
        }

        var session = _feature.Session;
        var saved = await SessionDataWriter.SaveAsync(_feature.Manager, session.Key, session, _changes, cancellationToken).ConfigureAwait(false);
        _changes.Clear();
        if (saved is not null)
        {
            _feature.Session = saved;
        }
    }

    internal void SaveBeforeResponse(HttpContext context)
    {
        if (_saveRegistered)
        {
            return;
        }

        if (context.Response.HasStarted)
        {
            throw new InvalidOperationException("The response has started, so session data changed now cannot be saved with it: change the data (or call SessionData.CommitAsync) before writing the response.");
        }

        _saveRegistered = true;
        var body = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        context.Features.Set<IHttpResponseBodyFeature>(new SessionDataResponseBody(body, () => CommitAsync(context.RequestAborted)));
    }

    /// <summary>Drops this request's unsaved changes (the save failed and the response says so).</summary>
    internal void Discard() => _changes.Clear();

    private void Change(string key, byte[]? value)
    {
        _changes[key] = value;
        if (_feature.Context is { } context)
        {
            SaveBeforeResponse(context);
        }
    }

    private IReadOnlyDictionary<string, byte[]> View()
        => _changes.Count == 0 ? _feature.Session.Data : SessionDataWriter.Apply(_feature.Session.Data, _changes);
}
