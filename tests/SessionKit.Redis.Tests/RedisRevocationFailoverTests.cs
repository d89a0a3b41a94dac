using SessionKit.Testing.Redis;

namespace SessionKit.Redis.Tests;

/// <summary>
/// Logouts across a Sentinel failover with real replication lag: replication is cut (the replica frozen with SIGSTOP and
/// its link dropped) while sessions are logged out, then the primary is killed (SIGKILL), the replica resumed and
/// promoted. A session is resurrected when its
/// logout returned success and the session is valid again after the failover.
/// </summary>
public sealed class RedisRevocationFailoverTests(ITestOutputHelper output)
{
    private const int LoggedOutDuringLag = 3;
    private const int TrialsWithAcknowledgement = 3;
    private static readonly TimeSpan Acknowledgement = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Without_replica_acknowledgement_logouts_during_replication_lag_come_back_after_a_failover()
    {
        var trial = await RunTrialAsync(replicas: 0);

        // The scenario can fail: with the option off every logout "succeeded" and was lost with the primary.
        Assert.Equal(0, trial.Refused);
        Assert.True(trial.Resurrected > 0, $"Expected resurrected sessions without acknowledgement: {trial}");
    }

    [Fact]
    public async Task With_replica_acknowledgement_no_logout_that_returned_success_comes_back_after_a_failover()
    {
        var resurrected = 0;
        var refused = 0;
        for (var i = 0; i < TrialsWithAcknowledgement; i++)
        {
            var trial = await RunTrialAsync(replicas: 1);
            resurrected += trial.Resurrected;
            refused += trial.Refused;
        }

        output.WriteLine($"{TrialsWithAcknowledgement} trials: {resurrected} resurrected, {refused} logouts refused (503) while the replica lagged");
        Assert.Equal(0, resurrected);
        // Not vacuous: the logouts during the lag were refused (fail closed), not quietly acknowledged.
        Assert.Equal(TrialsWithAcknowledgement * LoggedOutDuringLag, refused);
    }

    private async Task<Trial> RunTrialAsync(int replicas)
    {
        await using var sentinel = new RedisSentinelFixture();
        await sentinel.InitializeAsync();
        var prefix = RedisStores.NewPrefix();
        await using var store = RedisStores.CreateReplicated(sentinel.ConnectionString, prefix, replicas, Acknowledgement);
        var beforeLag = TestSessions.New();
        var duringLag = Enumerable.Range(0, LoggedOutDuringLag).Select(_ => TestSessions.New()).ToArray();
        foreach (var session in duringLag.Prepend(beforeLag))
        {
            await store.CreateAsync(session, 0, CancellationToken.None);
        }

        var loggedOut = new List<SessionRecord>();
        Assert.True(await store.DeleteAsync(beforeLag.Key, CancellationToken.None));
        loggedOut.Add(beforeLag);
        await sentinel.WaitForReplicationAsync();

        var refused = 0;
        await sentinel.CutReplicationAsync();
        try
        {
            foreach (var session in duringLag)
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    Assert.True(await store.DeleteAsync(session.Key, deadline.Token));
                    loggedOut.Add(session);
                }
                catch (SessionStoreUnavailableException exception)
                {
                    output.WriteLine("logout refused: " + exception.Message);
                    refused++;
                }
            }

            var oldPrimary = sentinel.Primary.Port;
            await sentinel.Primary.StopAsync();
            await sentinel.Replica.ResumeAsync();
            await sentinel.WaitForFailoverAsync(oldPrimary, Patience);
        }
        finally
        {
            if (sentinel.Replica.IsRunning)
            {
                await sentinel.Replica.ResumeAsync();
            }
        }

        await using var reader = RedisStores.Create(sentinel.ConnectionString, prefix);
        var resurrected = 0;
        foreach (var session in loggedOut)
        {
            resurrected += await ReadAfterFailoverAsync(reader, session) is null ? 0 : 1;
        }

        var trial = new Trial(replicas, loggedOut.Count, refused, resurrected);
        output.WriteLine(trial.ToString());
        return trial;
    }

    /// <summary>Reads through the promoted primary, retrying while the client finds it.</summary>
    private static async Task<SessionRecord?> ReadAfterFailoverAsync(RedisSessionStore store, SessionRecord session)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                return await store.GetAsync(session.Key, attempt.Token);
            }
            catch (Exception exception) when (exception is SessionStoreUnavailableException or OperationCanceledException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private sealed record Trial(int Replicas, int LogoutsThatReturned, int Refused, int Resurrected);
}
