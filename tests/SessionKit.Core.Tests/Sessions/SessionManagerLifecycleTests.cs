using Microsoft.Extensions.DependencyInjection;
using System.Buffers.Text;

namespace SessionKit.Core.Tests.Sessions;

public sealed class SessionManagerLifecycleTests : IDisposable
{
    private readonly ManagerHarness _h = new(o =>
    {
        o.IdleTimeout = TimeSpan.FromMinutes(30);
        o.AbsoluteLifetime = TimeSpan.FromHours(8);
    });

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task New_session_id_holds_256_random_bits_and_the_store_sees_only_its_hash()
    {
        var session = await _h.SignInAsync();

        var parts = session.Id.Split('.');
        Assert.Equal(2, parts.Length);
        Assert.Equal(32, Base64Url.DecodeFromChars(parts[1]).Length);
        var stored = await _h.Inner.GetAsync(session.Session.Key, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.DoesNotContain(parts[1], stored.Key.Hash, StringComparison.Ordinal);
        Assert.NotEqual(parts[1], stored.Key.Hash);
    }

    [Fact]
    public async Task Session_ids_never_repeat()
    {
        var ids = new HashSet<string>();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(ids.Add((await _h.SignInAsync()).Id));
        }
    }

    [Fact]
    public async Task Valid_session_validates_with_its_record_and_claims()
    {
        var session = await _h.SignInAsync(permissions: ["A", "B", "A"]);

        var result = await _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme);

        Assert.True(result.IsValid);
        Assert.Equal("alice", result.Session!.Subject);
        Assert.Equal(["A", "B"], result.Session.Permissions);
        Assert.Equal(["created"], _h.Events);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-session-id")]
    [InlineData("AAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAA+AAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Malformed_id_is_refused_without_a_store_call(string? id)
    {
        var result = await _h.Manager.ValidateAsync(id, ManagerHarness.Scheme);

        Assert.Equal(SessionValidationStatus.Malformed, result.Status);
        Assert.Equal(0, _h.Store.Calls);
    }

    [Fact]
    public async Task Well_formed_id_that_was_never_issued_is_not_found_and_creates_nothing()
    {
        var (secret, key) = SessionIds.Create();
        var forged = SessionIds.Format(key, secret);

        var result = await _h.Manager.ValidateAsync(forged, ManagerHarness.Scheme);

        Assert.Equal(SessionValidationStatus.NotFound, result.Status);
        Assert.Null(await _h.Inner.GetAsync(key, CancellationToken.None));
        Assert.Equal(0, _h.Inner.RecordCount);
    }

    [Fact]
    public async Task Idle_session_is_refused_and_purged_once_its_idle_window_passes()
    {
        var session = await _h.SignInAsync();

        _h.Clock.Advance(TimeSpan.FromMinutes(30));
        var result = await _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme);

        Assert.NotEqual(SessionValidationStatus.Valid, result.Status);
        Assert.Equal(0, _h.Inner.RecordCount);
    }

    [Fact]
    public async Task Shortened_idle_timeout_applies_to_existing_sessions_at_once()
    {
        using var h = new ManagerHarness(o => o.IdleTimeout = TimeSpan.FromMinutes(30));
        var session = await h.SignInAsync();
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        var monitor = h.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<SessionKitOptions>>();

        monitor.CurrentValue.IdleTimeout = TimeSpan.FromMinutes(5);
        var result = await h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme);

        Assert.Equal(SessionValidationStatus.Expired, result.Status);
        Assert.Contains("expired", h.Events);
    }

    [Fact]
    public async Task Absolute_lifetime_ends_a_session_however_active_it_is()
    {
        var session = await _h.SignInAsync();
        for (var i = 0; i < 16; i++)
        {
            _h.Clock.Advance(TimeSpan.FromMinutes(29));
            Assert.True((await _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme)).IsValid, $"still valid after {(i + 1) * 29} minutes");
        }

        _h.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.False((await _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme)).IsValid);
    }

    [Fact]
    public async Task Touches_are_coalesced_to_one_write_per_threshold_of_the_idle_window()
    {
        var session = await _h.SignInAsync();

        for (var i = 0; i < 100; i++)
        {
            _h.Clock.Advance(TimeSpan.FromSeconds(1));
            Assert.True((await _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme)).IsValid);
        }

        // 100 s < 10% of 30 min: no write yet.
        Assert.Equal(0, _h.Store.Touches);
        _h.Clock.Advance(TimeSpan.FromMinutes(2));
        var touched = await _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme);

        Assert.Equal(1, _h.Store.Touches);
        Assert.Equal(_h.Clock.GetUtcNow().AddMinutes(30), touched.Session!.IdleExpiresAt);
        Assert.Contains("refreshed", _h.Events);
    }

    [Fact]
    public async Task Rotation_kills_the_old_id_keeps_the_absolute_expiry_and_fires_events()
    {
        var first = await _h.SignInAsync();
        _h.Clock.Advance(TimeSpan.FromMinutes(5));

        var rotated = await _h.Manager.RotateAsync(first.Id, ManagerHarness.Scheme);

        Assert.NotNull(rotated);
        Assert.NotEqual(first.Id, rotated.Id);
        Assert.Equal(SessionValidationStatus.NotFound, (await _h.Manager.ValidateAsync(first.Id, ManagerHarness.Scheme)).Status);
        Assert.True((await _h.Manager.ValidateAsync(rotated.Id, ManagerHarness.Scheme)).IsValid);
        Assert.Equal(first.Session.CreatedAt, rotated.Session.CreatedAt);
        Assert.Equal(first.Session.AbsoluteExpiresAt, rotated.Session.AbsoluteExpiresAt);
        Assert.Contains("revoked:Rotated", _h.Events);
        Assert.Contains("rotated", _h.Events);
        Assert.Null(await _h.Manager.RotateAsync(first.Id, ManagerHarness.Scheme));
    }

    [Fact]
    public async Task Signing_in_with_a_current_session_replaces_it()
    {
        var before = await _h.SignInAsync();

        var after = await _h.SignInAsync(replaces: before.Id);

        Assert.False((await _h.Manager.ValidateAsync(before.Id, ManagerHarness.Scheme)).IsValid);
        Assert.True((await _h.Manager.ValidateAsync(after.Id, ManagerHarness.Scheme)).IsValid);
        Assert.Single(await _h.Manager.ListAsync("alice"));
    }

    [Fact]
    public async Task Revoke_is_idempotent_and_reports_the_reason()
    {
        var session = await _h.SignInAsync();

        Assert.True(await _h.Manager.RevokeAsync(session.Id));
        Assert.False(await _h.Manager.RevokeAsync(session.Id));
        Assert.False(await _h.Manager.RevokeAsync("garbage"));
        Assert.Equal(["created", "revoked:Logout"], _h.Events);
    }

    [Fact]
    public async Task Revoking_a_subject_can_keep_the_current_session()
    {
        var current = await _h.SignInAsync();
        var other1 = await _h.SignInAsync();
        var other2 = await _h.SignInAsync();
        var bob = await _h.SignInAsync("bob");

        var revoked = await _h.Manager.RevokeOthersAsync(current.Session);

        Assert.Equal(2, revoked);
        Assert.True((await _h.Manager.ValidateAsync(current.Id, ManagerHarness.Scheme)).IsValid);
        Assert.False((await _h.Manager.ValidateAsync(other1.Id, ManagerHarness.Scheme)).IsValid);
        Assert.False((await _h.Manager.ValidateAsync(other2.Id, ManagerHarness.Scheme)).IsValid);
        Assert.True((await _h.Manager.ValidateAsync(bob.Id, ManagerHarness.Scheme)).IsValid);
        Assert.Equal(1, await _h.Admin.RevokeSubjectAsync("alice"));
    }

    [Fact]
    public async Task Revoke_all_signs_everyone_out()
    {
        var alice = await _h.SignInAsync();
        var bob = await _h.SignInAsync("bob");

        Assert.Equal(2, await _h.Admin.RevokeAllAsync());

        Assert.False((await _h.Manager.ValidateAsync(alice.Id, ManagerHarness.Scheme)).IsValid);
        Assert.False((await _h.Manager.ValidateAsync(bob.Id, ManagerHarness.Scheme)).IsValid);
    }

    [Fact]
    public async Task Claims_update_reaches_live_sessions_on_their_next_validation()
    {
        var laptop = await _h.SignInAsync(permissions: []);
        var phone = await _h.SignInAsync(permissions: []);

        Assert.Equal(2, (await _h.Admin.UpdateSubjectClaimsAsync("alice", [new SessionClaim("name", "Alice")], ["ASSIGN_USERS"])).Updated.Count);

        Assert.Equal(["ASSIGN_USERS"], (await _h.Manager.ValidateAsync(laptop.Id, ManagerHarness.Scheme)).Session!.Permissions);
        Assert.Equal(["ASSIGN_USERS"], (await _h.Manager.ValidateAsync(phone.Id, ManagerHarness.Scheme)).Session!.Permissions);
    }

    [Fact]
    public async Task Per_subject_maximum_evicts_the_oldest_session()
    {
        using var h = new ManagerHarness(o => o.MaxSessionsPerSubject = 2);
        var first = await h.SignInAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await h.SignInAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        var third = await h.SignInAsync();

        Assert.False((await h.Manager.ValidateAsync(first.Id, ManagerHarness.Scheme)).IsValid);
        Assert.True((await h.Manager.ValidateAsync(second.Id, ManagerHarness.Scheme)).IsValid);
        Assert.True((await h.Manager.ValidateAsync(third.Id, ManagerHarness.Scheme)).IsValid);
        Assert.Contains("revoked:Evicted", h.Events);
    }

    [Fact]
    public async Task Partitions_are_random_not_derived_from_the_subject()
    {
        var first = await _h.SignInAsync("1");
        var second = await _h.SignInAsync("1");
        var other = await _h.SignInAsync("2");

        // The in-memory store keeps the random partition the manager proposes: nothing in an id says whose it is.
        Assert.NotEqual(first.Id.Split('.')[0], second.Id.Split('.')[0]);
        Assert.NotEqual(first.Id.Split('.')[0], other.Id.Split('.')[0]);
        Assert.DoesNotContain("a4ayc_80", first.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_issued_for_one_scheme_is_refused_by_another()
    {
        var session = await _h.SignInAsync();

        var other = await _h.Manager.ValidateAsync(session.Id, "AnotherScheme");
        var none = await _h.Manager.CreateAsync(new SessionCreateRequest { Subject = "alice", Scheme = null });

        Assert.Equal(SessionValidationStatus.NotFound, other.Status);
        Assert.Equal(SessionValidationStatus.NotFound, (await _h.Manager.ValidateAsync(none.Id, ManagerHarness.Scheme)).Status);
        Assert.True((await _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme)).IsValid);
    }

    [Fact]
    public async Task A_throwing_created_callback_leaves_no_session_behind()
    {
        using var h = new ManagerHarness(o => o.Events.OnCreated = _ => throw new InvalidOperationException("the app refuses"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.SignInAsync());

        Assert.Empty(await h.Manager.ListAsync("alice"));
        Assert.Equal(0, h.Inner.RecordCount);
    }

    [Fact]
    public async Task User_agents_are_cut_on_a_character_boundary_and_made_well_formed()
    {
        var agent = new string('a', 255) + "\U0001F600" + "tail";
        var session = await _h.Manager.CreateAsync(new SessionCreateRequest
        {
            Subject = "alice",
            Scheme = ManagerHarness.Scheme,
            Client = new SessionClientInfo("198.51.100.1\uD800", agent),
        });

        Assert.Equal(new string('a', 255), session.Session.Client.UserAgent);
        Assert.Equal("198.51.100.1\uFFFD", session.Session.Client.IpAddress);
    }
}
