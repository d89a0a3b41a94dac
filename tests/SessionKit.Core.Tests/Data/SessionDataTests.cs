using System.Net;
using System.Net.Http.Json;
using SessionKit.Testing;

namespace SessionKit.Core.Tests.Data;

public sealed class SessionDataTests
{
    [Fact]
    public async Task Data_set_by_one_request_is_read_by_the_next()
    {
        await using var app = await DataTestApp.StartAsync();
        var id = await app.SignInAsync();

        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/cart/apple?value=3", id)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.SendAsync(HttpMethod.Post, "/cart-quietly/pear", id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Post, "/commit/plum", id)).StatusCode);

        Assert.Equal(new Dictionary<string, string> { ["cart:apple"] = "3", ["cart:pear"] = "1", ["cart:plum"] = "1" }, await app.CartAsync(id));
        Assert.Equal(HttpStatusCode.NoContent, (await app.SendAsync(HttpMethod.Delete, "/cart/apple", id)).StatusCode);
        Assert.Equal(["cart:pear", "cart:plum"], (await app.CartAsync(id)).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_request_that_does_not_touch_the_data_writes_nothing_to_the_store()
    {
        await using var app = await DataTestApp.StartAsync();
        var id = await app.SignInAsync();
        await app.SendAsync(HttpMethod.Post, "/cart/apple", id);
        var before = app.Store.Calls;

        await app.CartAsync(id);

        Assert.Equal(before + 1, app.Store.Calls);
    }

    [Fact]
    public async Task Concurrent_requests_changing_different_keys_keep_every_change()
    {
        await using var app = await DataTestApp.StartAsync();
        var id = await app.SignInAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => app.SendAsync(HttpMethod.Post, $"/cart/item{i}", id))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(50, (await app.CartAsync(id)).Count);
    }

    [Fact]
    public async Task Concurrent_saves_of_one_key_leave_one_of_the_written_values()
    {
        await using var app = await DataTestApp.StartAsync();
        var id = await app.SignInAsync();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => app.SendAsync(HttpMethod.Post, $"/cart/apple?value={i}", id))));

        var value = int.Parse((await app.CartAsync(id))["cart:apple"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(value, 0, 19);
    }

    [Fact]
    public async Task Going_over_the_size_limit_is_an_exception_the_app_can_handle_and_nothing_is_saved()
    {
        await using var app = await DataTestApp.StartAsync(maxDataBytes: 1024);
        var id = await app.SignInAsync();

        var tooBig = await app.SendAsync(HttpMethod.Post, "/big?bytes=2000", id);
        var fits = await app.SendAsync(HttpMethod.Post, "/big?bytes=500", id);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooBig.StatusCode);
        Assert.Contains("1024", await tooBig.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(["big"], (await app.CartAsync(id)).Keys);
    }

    [Theory]
    [InlineData("Production", true)]
    [InlineData("Development", true)]
    [InlineData("Development", false)]
    public async Task Data_over_the_limit_that_the_endpoint_does_not_handle_answers_413_and_saves_none_of_the_request_changes(string environment, bool useExceptionHandler)
    {
        await using var app = await DataTestApp.StartAsync(useExceptionHandler, maxDataBytes: 1024, environment: environment);
        var id = await app.SignInAsync();

        var response = await app.SendAsync(HttpMethod.Post, "/cart-then-big/apple?bytes=2000", id);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await app.CartAsync(id));
    }

    [Theory]
    [InlineData("/cart/apple", true, false)]
    [InlineData("/cart-quietly/apple", true, false)]
    [InlineData("/cart/apple", false, false)]
    [InlineData("/cart-quietly/apple", false, false)]
    [InlineData("/cart/apple", true, true)]
    [InlineData("/cart-quietly/apple", true, true)]
    [InlineData("/cart/apple", false, true)]
    [InlineData("/cart-quietly/apple", false, true)]
    public async Task A_save_the_store_cannot_take_answers_503_and_never_claims_success(string path, bool useExceptionHandler, bool kestrel)
    {
        await using var app = await DataTestApp.StartAsync(useExceptionHandler, kestrel: kestrel);
        var id = await app.SignInAsync();
        using var failAfterAuthentication = new FailNextUpdate(app.Store);

        var response = await app.SendAsync(HttpMethod.Post, path, id);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter is not null);
        failAfterAuthentication.Dispose();
        Assert.Empty(await app.CartAsync(id));
    }

    [Fact]
    public async Task Rotation_keeps_the_data_and_a_new_sign_in_starts_empty()
    {
        await using var app = await DataTestApp.StartAsync();
        var id = await app.SignInAsync();
        await app.SendAsync(HttpMethod.Post, "/cart/apple", id);

        var rotated = await app.Manager.RotateAsync(id, SessionKit.Cookies.SessionCookieDefaults.AuthenticationScheme);
        var signedInAgain = await app.SignInAsync();

        Assert.NotNull(rotated);
        Assert.Equal(["cart:apple"], rotated.Session.Data.Keys);
        Assert.Equal(["cart:apple"], (await app.CartAsync(rotated.Id)).Keys);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.SendAsync(HttpMethod.Get, "/cart", id)).StatusCode);
        Assert.Empty(await app.CartAsync(signedInAgain));
    }

    [Fact]
    public async Task Logout_removes_the_data_with_the_session()
    {
        await using var app = await DataTestApp.StartAsync();
        var id = await app.SignInAsync();
        var session = (await app.Manager.ListAsync("alice")).Single();
        await app.SendAsync(HttpMethod.Post, "/cart/apple", id);

        await app.SendAsync(HttpMethod.Post, "/logout", id);

        Assert.Null(await app.Store.Inner.GetAsync(session.Key, CancellationToken.None));
        Assert.Null(await app.Manager.UpdateDataAsync(session.Key, new Dictionary<string, byte[]?> { ["x"] = [1] }));
    }

    [Fact]
    public async Task The_manager_saves_parallel_changes_of_different_keys_without_losing_any()
    {
        await using var app = await DataTestApp.StartAsync();
        await app.SignInAsync();
        var key = (await app.Manager.ListAsync("alice")).Single().Key;

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            app.Manager.UpdateDataAsync(key, new Dictionary<string, byte[]?> { ["k" + i] = [(byte)i] }))));

        var data = (await app.Manager.ListAsync("alice")).Single().Data;
        Assert.Equal(50, data.Count);
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal([(byte)i], data["k" + i]));
    }

    [Fact]
    public async Task The_manager_refuses_data_over_the_limit_and_saves_nothing()
    {
        await using var app = await DataTestApp.StartAsync(maxDataBytes: 100);
        await app.SignInAsync();
        var session = (await app.Manager.ListAsync("alice")).Single();

        var error = await Assert.ThrowsAsync<SessionDataTooLargeException>(() =>
            app.Manager.UpdateDataAsync(session.Key, new Dictionary<string, byte[]?> { ["k"] = new byte[100] }));

        Assert.Equal(101, error.Size);
        Assert.Equal(100, error.Limit);
        Assert.Equal(session.Version, (await app.Manager.ListAsync("alice")).Single().Version);
    }

    [Fact]
    public async Task HttpContext_Session_works_on_authenticated_requests_and_is_unavailable_before_sign_in()
    {
        await using var app = await DataTestApp.StartAsync();

        var anonymous = await (await app.SendAsync(HttpMethod.Get, "/isession/theme", null)).Content.ReadFromJsonAsync<DataTestApp.IsessionView>();
        var id = await app.SignInAsync();
        var set = await app.SendAsync(HttpMethod.Post, "/isession/theme?value=dark", id);
        var read = await (await app.SendAsync(HttpMethod.Get, "/isession/theme", id)).Content.ReadFromJsonAsync<DataTestApp.IsessionView>();
        var setWithoutSession = await app.SendAsync(HttpMethod.Post, "/isession/theme?value=dark", null);

        Assert.False(anonymous!.Available);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.True(read!.Available);
        Assert.Equal("dark", read.Value);
        Assert.Equal(HttpStatusCode.InternalServerError, setWithoutSession.StatusCode);
        Assert.Equal(["theme"], (await app.CartAsync(id)).Keys);
    }

    [Fact]
    public async Task ISession_Id_is_stable_and_reveals_neither_the_session_id_nor_the_store_key()
    {
        await using var app = await DataTestApp.StartAsync();
        var id = await app.SignInAsync();
        var key = (await app.Manager.ListAsync("alice")).Single().Key;

        var first = (await (await app.SendAsync(HttpMethod.Get, "/isession/x", id)).Content.ReadFromJsonAsync<DataTestApp.IsessionView>())!.Id;
        var second = (await (await app.SendAsync(HttpMethod.Get, "/isession/x", id)).Content.ReadFromJsonAsync<DataTestApp.IsessionView>())!.Id;

        Assert.Equal(first, second);
        Assert.NotEmpty(first);
        Assert.DoesNotContain(first, id, StringComparison.Ordinal);
        Assert.DoesNotContain(id.Split('.')[1], first, StringComparison.Ordinal);
        Assert.NotEqual(key.Hash, first);
        Assert.DoesNotContain(first, key.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Makes the store refuse every change (as an outage would) until disposed; reads keep working.</summary>
    private sealed class FailNextUpdate : IDisposable
    {
        private readonly CountingSessionStore _store;

        public FailNextUpdate(CountingSessionStore store)
        {
            _store = store;
            _store.Outage = StoreOutage.ThrowsOnWrites;
        }

        public void Dispose() => _store.Outage = StoreOutage.None;
    }
}
