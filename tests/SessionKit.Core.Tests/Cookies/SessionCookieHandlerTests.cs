using System.Net;
using SessionKit.Testing;

namespace SessionKit.Core.Tests.Cookies;

public sealed class SessionCookieHandlerTests : IAsyncLifetime
{
    private CookieTestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await CookieTestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Sign_in_sets_a_host_prefixed_secure_httponly_lax_session_cookie_and_no_store()
    {
        var (id, response) = await _app.SignInAsync();

        var setCookie = response.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith("__Host-session=" + id + ";", setCookie, StringComparison.Ordinal);
        var attributes = setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToArray();
        Assert.Contains("path=/", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.Ordinal));
        Assert.DoesNotContain(attributes, a => a.StartsWith("expires", StringComparison.Ordinal) || a.StartsWith("max-age", StringComparison.Ordinal));
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(52, id.Length);
    }

    [Fact]
    public async Task Persistent_sign_in_gives_the_cookie_the_absolute_expiry()
    {
        using var response = await _app.Client.PostAsync("/login?user=alice&persistent=true", null);

        Assert.Contains("expires=", response.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cookie_authenticates_with_the_claims_and_permissions_of_the_stored_session()
    {
        var (id, _) = await _app.SignInAsync(permission: "READ");

        using var response = await _app.SendAsync(HttpMethod.Get, "/me", id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice|ALICE|READ|1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Session_id_in_query_string_or_authorization_header_is_ignored()
    {
        var (id, _) = await _app.SignInAsync();

        using var query = await _app.SendAsync(HttpMethod.Get, $"/me?session={id}&__Host-session={id}", null);
        using var header = await _app.SendAsync(HttpMethod.Get, "/me", null, r => r.Headers.Add("Authorization", "Bearer " + id));

        Assert.Equal(HttpStatusCode.Unauthorized, query.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, header.StatusCode);
    }

    [Fact]
    public async Task Signing_in_again_issues_a_new_id_and_kills_the_old_one()
    {
        var (first, _) = await _app.SignInAsync();

        var (second, _) = await _app.SignInAsync(currentId: first);

        Assert.NotEqual(first, second);
        using var old = await _app.SendAsync(HttpMethod.Get, "/me", first);
        using var fresh = await _app.SendAsync(HttpMethod.Get, "/me", second);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task Sign_out_revokes_the_session_and_expires_the_cookie()
    {
        var (id, _) = await _app.SignInAsync();

        using var logout = await _app.SendAsync(HttpMethod.Post, "/logout", id);
        using var after = await _app.SendAsync(HttpMethod.Get, "/me", id);

        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        var cleared = logout.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith("__Host-session=;", cleared, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("no-store", logout.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}
