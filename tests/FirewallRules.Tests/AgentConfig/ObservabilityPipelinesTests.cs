using FirewallRules.AgentConfig;
using FirewallRules.Rules;
using static FirewallRules.Tests.Support.TestAgent;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// The Observability Pipelines Worker (<c>observability_pipelines_worker.*</c>, the older <c>vector.*</c>): each track turned on
/// is planned to the worker's host and port; logs and traces leave Datadog's intake, metrics keep it for everything but
/// series and sketches (the agent's resolver, logs and trace endpoint builders, cited in ObservabilityPipelines).
/// </summary>
[TestFixture]
public class ObservabilityPipelinesTests
{
    private const string AllTracks = "api_key: x\nlogs_enabled: true\nobservability_pipelines_worker:\n" +
        "  metrics:\n    enabled: true\n    url: \"http://opw.internal:8282\"\n" +
        "  logs:\n    enabled: true\n    url: \"http://opw.internal:8282\"\n" +
        "  traces:\n    enabled: true\n    url: \"http://opw.internal:8282\"\n";

    private static bool Plans(AgentPlan plan, string feature, string host, int port) =>
        plan.Destinations.Any(d => DestinationMerge.Serves(d, feature) && d.HostName == host && d.Port == new PortRange(TransportProtocol.Tcp, port));

    [TestCase("metrics")]
    [TestCase("logs")]
    [TestCase("apm")]
    public void Worker_EachTrackOn_PlansTheWorkersHostAndPort(string feature)
    {
        AgentPlan plan = Plan(AllTracks);

        Assert.That(Plans(plan, feature, "opw.internal", 8282), Is.True, string.Join("\n", plan.Destinations));
    }

    [Test]
    public void Worker_LogsAndTraces_LeaveDatadogsIntakes_WithANote()
    {
        AgentPlan plan = Plan(AllTracks);

        Assert.That(plan.Destinations.Select(d => d.HostName), Does.Not.Contain("agent-http-intake.logs.datadoghq.com").And.Not.Contain("trace.agent.datadoghq.com"));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("logs go to the worker (observability_pipelines_worker.logs.url) instead of agent-http-intake.logs.datadoghq.com"));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("traces go to the worker (observability_pipelines_worker.traces.url) instead of trace.agent.datadoghq.com"));
    }

    [Test]
    public void Worker_Metrics_KeepsTheMetricsIntakeForMetadata()
    {
        AgentPlan plan = Plan(AllTracks);

        Assert.That(Plans(plan, "metrics", $"{TestAgent.InHostNames}-app.agent.datadoghq.com", 443), Is.True);
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("metrics series and sketches go to opw.internal").And.Some.Contains("metadata, check runs, events and flares"));
    }

    [Test]
    public void Vector_OlderKeys_PlanTheWorker()
    {
        AgentPlan plan = Plan("api_key: x\nvector:\n  metrics:\n    enabled: true\n    url: \"http://vec.internal:8686\"\n");

        Assert.That(Plans(plan, "metrics", "vec.internal", 8686), Is.True);
    }

    [Test]
    public void Worker_SetByEnvironment_PlansTheWorker()
    {
        AgentPlan plan = Plan("api_key: x\n", "DD_OBSERVABILITY_PIPELINES_WORKER_TRACES_ENABLED=true\nDD_OBSERVABILITY_PIPELINES_WORKER_TRACES_URL=https://opw.internal:8443\n");

        Assert.That(Plans(plan, "apm", "opw.internal", 8443), Is.True);
        Assert.That(plan.Destinations.Select(d => d.HostName), Does.Not.Contain("trace.agent.datadoghq.com"));
    }

    [Test]
    public void Worker_LogsDualShip_KeepsTheLogsIntake()
    {
        AgentPlan plan = Plan("logs_enabled: true\nobservability_pipelines_worker:\n  logs:\n    enabled: true\n    url: http://opw.internal:8282\n    dual_ship: true\n");

        Assert.That(Plans(plan, "logs", "opw.internal", 8282), Is.True);
        Assert.That(Plans(plan, "logs", "agent-http-intake.logs.datadoghq.com", 443), Is.True);
    }

    [Test]
    public void Worker_TrackOnWithoutUrl_KeepsTheLogsIntake_WithANote()
    {
        AgentPlan plan = Plan("logs_enabled: true\nobservability_pipelines_worker:\n  logs:\n    enabled: true\n");

        Assert.That(Plans(plan, "logs", "agent-http-intake.logs.datadoghq.com", 443), Is.True);
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("observability_pipelines_worker.logs.url is empty"));
    }

    [Test]
    public void Worker_LogsOn_NoTcpFallbackNote()
    {
        AgentPlan plan = Plan(AllTracks);

        Assert.That(plan.Notes.Texts(), Has.None.Contains("falls back to TCP"));
    }
}
