using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionKit.Jwt;

namespace SessionKit.Core.Tests.Jwt;

public sealed class VerifiedTokenCacheTests
{
    private static readonly VerifiedToken Verified = new("sid", "alice", DateTime.UtcNow.AddMinutes(5), null, new SessionKey("p", "h"));

    [Fact]
    public void A_full_cache_empties_itself_instead_of_growing_past_its_size_in_characters()
    {
        var cache = new VerifiedTokenCache(capacityInChars: 10);
        cache.Add("aaaa", Verified);
        cache.Add("bbbb", Verified);

        cache.Add("cccc", Verified);

        Assert.False(cache.TryGet("aaaa", out _));
        Assert.False(cache.TryGet("bbbb", out _));
        Assert.True(cache.TryGet("cccc", out var found));
        Assert.Same(Verified, found);
    }

    [Fact]
    public void A_token_longer_than_the_cache_is_not_kept_and_removal_frees_its_characters()
    {
        var cache = new VerifiedTokenCache(capacityInChars: 8);
        cache.Add("0123456789", Verified);
        Assert.False(cache.TryGet("0123456789", out _));

        cache.Add("aaaa", Verified);
        cache.Add("aaaa", Verified);
        cache.Remove("aaaa");
        cache.Add("bbbb", Verified);
        cache.Add("cccc", Verified);

        Assert.False(cache.TryGet("aaaa", out _));
        Assert.True(cache.TryGet("bbbb", out _));
        Assert.True(cache.TryGet("cccc", out _));
    }

    [Fact]
    public async Task A_token_accepted_before_is_refused_once_its_session_is_revoked()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));
        var token = await app.Tokens.IssueAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await app.GetMeAsync(token.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetMeAsync(token.AccessToken)).StatusCode);

        Assert.True(await app.Sessions.RevokeAsync(token.Session.Key, SessionRevocationReason.Logout));

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetMeAsync(token.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetMeAsync(token.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task A_token_accepted_before_is_refused_once_it_expires_even_while_its_session_lives()
    {
        await using var app = await JwtTestApp.StartAsync(o =>
        {
            TestKeys.With(TestKeys.Hs256())(o);
            o.TokenLifetime = TimeSpan.FromMinutes(5);
        });
        var token = await app.Tokens.IssueAsync("alice");
        for (var minute = 0; minute < 5; minute++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.GetMeAsync(token.AccessToken)).StatusCode);
            app.Time.Advance(TimeSpan.FromMinutes(1));
        }

        app.Time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetMeAsync(token.AccessToken)).StatusCode);
        Assert.NotNull(await app.Services.GetRequiredService<ISessionStore>().GetAsync(token.Session.Key, CancellationToken.None));
    }

    [Fact]
    public async Task Altering_an_accepted_token_is_still_caught_by_the_signature_check()
    {
        await using var app = await JwtTestApp.StartAsync(TestKeys.With(TestKeys.Hs256()));
        var token = (await app.Tokens.IssueAsync("alice")).AccessToken;
        Assert.Equal(HttpStatusCode.OK, (await app.GetMeAsync(token)).StatusCode);

        // A character inside the signature (the last one may carry only padding bits).
        var at = token.Length - 5;
        var altered = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];
        var bob = (await app.Tokens.IssueAsync("bob")).AccessToken;
        var parts = token.Split('.');
        var spliced = parts[0] + "." + bob.Split('.')[1] + "." + parts[2];

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetMeAsync(altered)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetMeAsync(spliced)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetMeAsync(token)).StatusCode);
    }

    [Theory]
    [InlineData("key removed")]
    [InlineData("audience changed")]
    public async Task A_token_accepted_before_is_refused_once_the_options_change_under_it(string change)
    {
        var oldKey = TestKeys.Hs256("old");
        var newKey = TestKeys.Hs256("new");
        var changed = false;
        await using var app = await JwtTestApp.StartAsync(o =>
        {
            TestKeys.With(changed && change == "key removed" ? [newKey] : [newKey, oldKey])(o); // The last key signs.
            if (changed && change == "audience changed")
            {
                o.Audience = "another-api";
            }
        });
        var token = (await app.Tokens.IssueAsync("alice")).AccessToken;
        Assert.Equal(HttpStatusCode.OK, (await app.GetMeAsync(token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetMeAsync(token)).StatusCode);

        changed = true;
        app.Services.GetRequiredService<IOptionsMonitorCache<SessionOverJwtOptions>>().TryRemove(SessionOverJwtDefaults.AuthenticationScheme);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetMeAsync(token)).StatusCode);
    }
}
