using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Jwt;

public sealed class SessionKeyCacheTests
{
    [Fact]
    public void A_full_cache_empties_itself_instead_of_growing()
    {
        var cache = new SessionKeyCache(capacity: 2);
        cache.Add("a", new SessionKey("p", "a"));
        cache.Add("b", new SessionKey("p", "b"));

        cache.Add("c", new SessionKey("p", "c"));

        Assert.False(cache.TryGet("a", out _));
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("c", out var key));
        Assert.Equal(new SessionKey("p", "c"), key);
    }

    [Fact]
    public void Adding_the_same_id_twice_does_not_count_twice_and_removal_forgets_it()
    {
        var cache = new SessionKeyCache(capacity: 2);
        cache.Add("a", new SessionKey("p", "a"));
        cache.Add("a", new SessionKey("p", "a"));
        cache.Add("b", new SessionKey("p", "b"));
        Assert.True(cache.TryGet("a", out _));

        cache.Remove("a");

        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("b", out _));
    }
}
