using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SessionKit.Diagnostics;

namespace SessionKit.Core.Tests.Sessions;

public sealed class SessionManagerObservabilityTests : IDisposable
{
    private readonly ManagerHarness _h = new(o => o.TouchThreshold = 0);

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Logs_of_a_whole_lifecycle_never_contain_a_session_id_or_its_secret()
    {
        var first = await _h.SignInAsync();
        await _h.Manager.ValidateAsync(first.Id, ManagerHarness.Scheme);
        var rotated = await _h.Manager.RotateAsync(first.Id, ManagerHarness.Scheme);
        await _h.Manager.ValidateAsync(first.Id, ManagerHarness.Scheme);
        await _h.Manager.RevokeAsync(rotated!.Id);
        await _h.Admin.RevokeSubjectAsync("alice");
        await _h.Admin.RevokeAllAsync();

        var logs = _h.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        foreach (var id in new[] { first.Id, rotated.Id })
        {
            var secret = id.Split('.')[1];
            Assert.DoesNotContain(logs, l => l.Message.Contains(secret, StringComparison.Ordinal)
                || (l.StructuredState?.Any(kv => kv.Value?.Contains(secret, StringComparison.Ordinal) == true) ?? false));
        }
    }

    [Fact]
    public async Task Metrics_count_created_validated_rejected_touched_and_revoked_sessions()
    {
        var factory = _h.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var created = new MetricCollector<long>(factory, SessionKitMetrics.MeterName, "sessionkit.sessions.created");
        using var validated = new MetricCollector<long>(factory, SessionKitMetrics.MeterName, "sessionkit.sessions.validated");
        using var rejected = new MetricCollector<long>(factory, SessionKitMetrics.MeterName, "sessionkit.sessions.rejected");
        using var revoked = new MetricCollector<long>(factory, SessionKitMetrics.MeterName, "sessionkit.sessions.revoked");
        using var storeDuration = new MetricCollector<double>(factory, SessionKitMetrics.MeterName, "sessionkit.store.duration");

        var session = await _h.SignInAsync();
        await _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme);
        await _h.Manager.ValidateAsync("garbage", ManagerHarness.Scheme);
        await _h.Manager.RevokeAsync(session.Id);
        await _h.Manager.ValidateAsync(session.Id, ManagerHarness.Scheme);

        Assert.Equal(1, created.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, validated.GetMeasurementSnapshot().EvaluateAsCounter());
        var rejections = rejected.GetMeasurementSnapshot();
        Assert.Equal(1, rejections.Count(m => (string?)m.Tags["reason"] == "malformed"));
        Assert.Equal(1, rejections.Count(m => (string?)m.Tags["reason"] == "not_found"));
        Assert.Equal("logout", revoked.GetMeasurementSnapshot().Single().Tags["reason"]);
        Assert.Contains(storeDuration.GetMeasurementSnapshot(), m => (string?)m.Tags["operation"] == "get" && (string?)m.Tags["outcome"] == "success");
    }
}
