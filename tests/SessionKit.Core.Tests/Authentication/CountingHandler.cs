using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace SessionKit.Core.Tests.Authentication;

/// <summary>A scheme handler that only counts what it is asked to do: the target of forwarding tests.</summary>
internal class CountingHandler : IAuthenticationSignInHandler
{
    public int AuthenticateCount { get; private set; }

    public int ChallengeCount { get; private set; }

    public int ForbidCount { get; private set; }

    public int SignInCount { get; private set; }

    public int SignOutCount { get; private set; }

    public int Total => AuthenticateCount + ChallengeCount + ForbidCount + SignInCount + SignOutCount;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context) => Task.CompletedTask;

    public Task<AuthenticateResult> AuthenticateAsync()
    {
        AuthenticateCount++;
        return Task.FromResult(AuthenticateResult.NoResult());
    }

    public Task ChallengeAsync(AuthenticationProperties? properties)
    {
        ChallengeCount++;
        return Task.CompletedTask;
    }

    public Task ForbidAsync(AuthenticationProperties? properties)
    {
        ForbidCount++;
        return Task.CompletedTask;
    }

    public Task SignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties)
    {
        SignInCount++;
        return Task.CompletedTask;
    }

    public Task SignOutAsync(AuthenticationProperties? properties)
    {
        SignOutCount++;
        return Task.CompletedTask;
    }
}

/// <summary>The scheme forwarded to by default (<c>ForwardDefault</c>).</summary>
internal sealed class DefaultTarget : CountingHandler;

/// <summary>The scheme a <c>ForwardDefaultSelector</c> picks.</summary>
internal sealed class SelectorTarget : CountingHandler;

/// <summary>The scheme a specific <c>Forward…</c> option names.</summary>
internal sealed class SpecificTarget : CountingHandler;
