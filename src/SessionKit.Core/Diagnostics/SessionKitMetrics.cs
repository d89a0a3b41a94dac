using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SessionKit.Diagnostics;

/// <summary>
/// The <c>SessionKit</c> meter's instruments. Names and units are documented in the README ("Metrics").
/// </summary>
internal sealed class SessionKitMetrics
{
    public const string MeterName = "SessionKit";

    private readonly Counter<long> _created;
    private readonly Counter<long> _validated;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _revoked;
    private readonly Counter<long> _rotated;
    private readonly Counter<long> _evicted;
    private readonly Counter<long> _touched;
    private readonly Histogram<double> _storeDuration;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;

    public SessionKitMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>("sessionkit.sessions.created", "{session}", "Sessions created (sign-ins and rotations).");
        _validated = meter.CreateCounter<long>("sessionkit.sessions.validated", "{session}", "Session ids accepted.");
        _rejected = meter.CreateCounter<long>("sessionkit.sessions.rejected", "{session}", "Session ids refused, by reason.");
        _revoked = meter.CreateCounter<long>("sessionkit.sessions.revoked", "{session}", "Sessions revoked, by reason.");
        _rotated = meter.CreateCounter<long>("sessionkit.sessions.rotated", "{session}", "Sessions replaced by a new id.");
        _evicted = meter.CreateCounter<long>("sessionkit.sessions.evicted", "{session}", "Sessions evicted by the per-subject maximum.");
        _touched = meter.CreateCounter<long>("sessionkit.sessions.touched", "{session}", "Coalesced sliding-expiry writes.");
        _cacheHits = meter.CreateCounter<long>("sessionkit.cache.hits", "{request}", "Session reads served by the local cache.");
        _cacheMisses = meter.CreateCounter<long>("sessionkit.cache.misses", "{request}", "Session reads the local cache passed to the store.");
        _storeDuration = meter.CreateHistogram<double>("sessionkit.store.duration", "s", "Duration of session store calls, by operation and outcome.");
    }

    public void Created() => _created.Add(1);

    public void Validated() => _validated.Add(1);

    public void Rejected(SessionValidationStatus reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", ReasonTag(reason)));

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Revoked(SessionRevocationReason reason, long count = 1)
    {
        if (count > 0)
        {
            _revoked.Add(count, new KeyValuePair<string, object?>("reason", ReasonTag(reason)));
        }
    }

    public void Rotated() => _rotated.Add(1);

    public void Evicted(int count)
    {
        if (count > 0)
        {
            _evicted.Add(count);
        }
    }

    public void Touched() => _touched.Add(1);

    public void CacheHit() => _cacheHits.Add(1);

    public void CacheMiss() => _cacheMisses.Add(1);

    public void StoreCall(string operation, bool success, TimeSpan elapsed)
    {
        if (_storeDuration.Enabled)
        {
            var tags = new TagList
            {
                { "operation", operation },
                { "outcome", success ? "success" : "failure" },
            };
            _storeDuration.Record(elapsed.TotalSeconds, tags);
        }
    }

    private static string ReasonTag(SessionValidationStatus status) => status switch
    {
        SessionValidationStatus.Malformed => "malformed",
        SessionValidationStatus.NotFound => "not_found",
        SessionValidationStatus.Expired => "expired",
        SessionValidationStatus.SchemeMismatch => "scheme_mismatch",
        _ => "valid",
    };

    private static string ReasonTag(SessionRevocationReason reason) => reason switch
    {
        SessionRevocationReason.Logout => "logout",
        SessionRevocationReason.LogoutEverywhere => "logout_everywhere",
        SessionRevocationReason.Rotated => "rotated",
        SessionRevocationReason.Evicted => "evicted",
        _ => "administrative",
    };
}
