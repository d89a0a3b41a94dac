using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SessionKit.Core.Tests.Authentication;

/// <summary>
/// The conventions ASP.NET Core's own schemes are held to by its shared authentication-handler suite (forwarding of every
/// operation, selectors, the scheme's registration, default sign-in and sign-out schemes), checked in a plain service
/// container without a host. That suite is not packaged, so its checks are written again here.
/// </summary>
/// <typeparam name="TOptions">The scheme's options.</typeparam>
public abstract class SharedAuthenticationConventionTests<TOptions>
    where TOptions : AuthenticationSchemeOptions
{
    // Signing in needs an authenticated identity (AuthenticationOptions.RequireAuthenticatedSignIn).
    private static ClaimsPrincipal AnyUser => new(new ClaimsIdentity([new Claim("sub", "alice")], "test"));

    protected abstract string DefaultScheme { get; }

    protected abstract Type HandlerType { get; }

    protected abstract bool SupportsSignInAndOut { get; }

    protected abstract void RegisterAuth(AuthenticationBuilder builder, Action<TOptions> configure);

    [Fact]
    public async Task Every_operation_is_forwarded_to_ForwardDefault()
    {
        var (context, targets) = Build(o => o.ForwardDefault = "default");

        await RunEveryOperationAsync(context);

        AssertCounts(targets.Default, expectedEach: 1);
        Assert.Equal(0, targets.Selector.Total + targets.Specific.Total);
    }

    [Fact]
    public async Task ForwardSignIn_wins_over_ForwardDefault()
    {
        var (context, targets) = Build(o => { o.ForwardDefault = "default"; o.ForwardSignIn = "specific"; });

        await SignInAsync(context);

        Assert.Equal(SupportsSignInAndOut ? 1 : 0, targets.Specific.SignInCount);
        Assert.Equal(0, targets.Default.Total);
    }

    [Fact]
    public async Task ForwardSignOut_wins_over_ForwardDefault()
    {
        var (context, targets) = Build(o => { o.ForwardDefault = "default"; o.ForwardSignOut = "specific"; });

        await SignOutAsync(context);

        Assert.Equal(SupportsSignInAndOut ? 1 : 0, targets.Specific.SignOutCount);
        Assert.Equal(0, targets.Default.Total);
    }

    [Fact]
    public async Task ForwardForbid_wins_over_ForwardDefault()
    {
        var (context, targets) = Build(o => { o.ForwardDefault = "default"; o.ForwardForbid = "specific"; });

        await context.ForbidAsync();

        Assert.Equal((1, 1), (targets.Specific.ForbidCount, targets.Specific.Total));
        Assert.Equal(0, targets.Default.Total);
    }

    [Fact]
    public async Task ForwardAuthenticate_wins_over_ForwardDefault()
    {
        var (context, targets) = Build(o => { o.ForwardDefault = "default"; o.ForwardAuthenticate = "specific"; });

        await context.AuthenticateAsync();

        Assert.Equal((1, 1), (targets.Specific.AuthenticateCount, targets.Specific.Total));
        Assert.Equal(0, targets.Default.Total);
    }

    [Fact]
    public async Task ForwardChallenge_wins_over_ForwardDefault()
    {
        var (context, targets) = Build(o => { o.ForwardDefault = "default"; o.ForwardChallenge = "specific"; });

        await context.ChallengeAsync();

        Assert.Equal((1, 1), (targets.Specific.ChallengeCount, targets.Specific.Total));
        Assert.Equal(0, targets.Default.Total);
    }

    [Fact]
    public async Task ForwardDefaultSelector_wins_over_ForwardDefault()
    {
        var (context, targets) = Build(o => { o.ForwardDefault = "default"; o.ForwardDefaultSelector = _ => "selector"; });

        await RunEveryOperationAsync(context);

        AssertCounts(targets.Selector, expectedEach: 1);
        Assert.Equal(0, targets.Default.Total + targets.Specific.Total);
    }

    [Fact]
    public async Task A_selector_that_returns_null_falls_back_to_ForwardDefault()
    {
        var (context, targets) = Build(o => { o.ForwardDefault = "default"; o.ForwardDefaultSelector = _ => null; });

        await RunEveryOperationAsync(context);

        AssertCounts(targets.Default, expectedEach: 1);
        Assert.Equal(0, targets.Selector.Total + targets.Specific.Total);
    }

    [Fact]
    public async Task Specific_forwards_win_over_the_selector_and_ForwardDefault()
    {
        var (context, targets) = Build(o =>
        {
            o.ForwardDefault = "default";
            o.ForwardDefaultSelector = _ => "selector";
            o.ForwardAuthenticate = o.ForwardChallenge = o.ForwardForbid = o.ForwardSignIn = o.ForwardSignOut = "specific";
        });

        await RunEveryOperationAsync(context);

        AssertCounts(targets.Specific, expectedEach: 1);
        Assert.Equal(0, targets.Default.Total + targets.Selector.Total);
    }

    [Fact]
    public async Task The_scheme_is_registered_with_its_handler_and_no_display_name()
    {
        var services = new ServiceCollection();
        RegisterAuth(services.AddAuthentication(), _ => { });
        await using var provider = services.BuildServiceProvider();

        var scheme = await provider.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(DefaultScheme);

        Assert.NotNull(scheme);
        Assert.Equal(HandlerType, scheme.HandlerType);
        Assert.Null(scheme.DisplayName);
    }

    [Fact]
    public async Task Default_sign_in_and_sign_out_schemes_reach_the_scheme_if_it_signs_in()
    {
        var services = new ServiceCollection().AddLogging();
        RegisterAuth(services.AddAuthentication(o =>
        {
            o.DefaultScheme = "default";
            o.DefaultSignInScheme = DefaultScheme;
            o.DefaultSignOutScheme = DefaultScheme;
            o.AddScheme<DefaultTarget>("default", null);
        }), _ => { });
        var target = new DefaultTarget();
        services.AddSingleton(target);
        await using var provider = services.BuildServiceProvider();
        var context = NewContext(provider);

        if (SupportsSignInAndOut)
        {
            await context.SignInAsync(AnyUser);
            Assert.Contains("__Host-session=", context.Response.Headers.SetCookie.ToString(), StringComparison.Ordinal);
            await context.SignOutAsync();
            Assert.Contains("expires=Thu, 01 Jan 1970", context.Response.Headers.SetCookie.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => context.SignInAsync(AnyUser));
            await Assert.ThrowsAsync<InvalidOperationException>(() => context.SignOutAsync());
        }

        Assert.Equal(0, target.Total);
    }

    private (HttpContext Context, (DefaultTarget Default, SelectorTarget Selector, SpecificTarget Specific) Targets) Build(Action<TOptions> configure)
    {
        var services = new ServiceCollection().AddLogging();
        RegisterAuth(services.AddAuthentication(o =>
        {
            o.DefaultScheme = DefaultScheme;
            o.AddScheme<DefaultTarget>("default", null);
            o.AddScheme<SelectorTarget>("selector", null);
            o.AddScheme<SpecificTarget>("specific", null);
        }), configure);
        var targets = (new DefaultTarget(), new SelectorTarget(), new SpecificTarget());
        services.AddSingleton(targets.Item1).AddSingleton(targets.Item2).AddSingleton(targets.Item3);
        return (NewContext(services.BuildServiceProvider()), targets);
    }

    private static DefaultHttpContext NewContext(IServiceProvider services)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("localhost");
        return context;
    }

    private async Task RunEveryOperationAsync(HttpContext context)
    {
        await context.AuthenticateAsync();
        await context.ForbidAsync();
        await context.ChallengeAsync();
        await SignOutAsync(context);
        await SignInAsync(context);
    }

    // A scheme that cannot sign in refuses (InvalidOperationException) before any forwarding, as JwtBearer does.
    private async Task SignInAsync(HttpContext context)
    {
        if (SupportsSignInAndOut)
        {
            await context.SignInAsync(AnyUser);
        }
        else
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => context.SignInAsync(AnyUser));
        }
    }

    private async Task SignOutAsync(HttpContext context)
    {
        if (SupportsSignInAndOut)
        {
            await context.SignOutAsync();
        }
        else
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => context.SignOutAsync());
        }
    }

    private void AssertCounts(CountingHandler target, int expectedEach)
    {
        var signing = SupportsSignInAndOut ? expectedEach : 0;
        Assert.Equal((expectedEach, expectedEach, expectedEach, signing, signing),
            (target.AuthenticateCount, target.ChallengeCount, target.ForbidCount, target.SignInCount, target.SignOutCount));
    }
}
