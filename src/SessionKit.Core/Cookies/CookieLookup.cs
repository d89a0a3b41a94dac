namespace SessionKit.Cookies;

/// <summary>What <see cref="SessionCookieReader.Find"/> found.</summary>
/// <param name="Value">The cookie's value when it occurs exactly once.</param>
/// <param name="IsDuplicate">Whether the name occurs more than once (the request is refused).</param>
internal readonly record struct CookieLookup(string? Value, bool IsDuplicate)
{
    public static CookieLookup Absent => default;

    public static CookieLookup Duplicate => new(null, IsDuplicate: true);
}
