using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Five configurations taken whole from Datadog's documentation and the Helm chart's own examples
/// (data/agent/documented/, provenance in data/PROVENANCE.md), each held to the plan its page describes. The expectations
/// were written from the pages before the code was run on the files.
/// </summary>
[TestFixture]
public class DocumentedConfigurationTests
{
    private static string Read(string name) => File.ReadAllText(TestData.Path_("agent", "documented", name));

    private static string[] Reached(AgentPlan plan) =>
        [.. plan.Destinations.Select(d => $"{d.Feature} {d.HostName} {d.Port} {d.Coverage} {d.Site?.Name}")];

    // Dual Shipping (docs.datadoghq.com/agent/configuration/dual-shipping): metrics go to the main site and to each
    // additional endpoint; the forwarder sends app.<site> to the versioned host the Network Traffic page lists.
    [Test]
    public void DualShippingPage_MetricsReachBothSitesOnTheirVersionedHosts()
    {
        AgentPlan plan = AgentConfiguration.Parse(Read("docs-dual-shipping.yaml"), null, null, TestAgent.Version);

        Assert.That(Reached(plan).Where(r => r.StartsWith("metrics ", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            $"metrics {TestAgent.InHostNames}-app.agent.datadoghq.com 443/tcp PublishedRanges US1",
            $"metrics {TestAgent.InHostNames}-app.agent.datadoghq.eu 443/tcp PublishedRanges EU1",
        }));
        Assert.That(plan.Site, Is.EqualTo(Site.US1), "no site: the default");
    }

    // Agent Proxy Configuration (docs.datadoghq.com/agent/configuration/proxy): "Proxy endpoint for HTTPS connections (most
    // Datadog traffic)"; no_proxy names no Datadog host; credentials are the user's.
    [Test]
    public void ProxyPage_EveryHttpsDestinationGoesThroughTheProxy_AndItsPasswordIsNeverShown()
    {
        AgentPlan plan = AgentConfiguration.Parse(Read("docs-proxy.yaml"), null, null, TestAgent.Version);

        Assert.That(plan.Destinations.Where(d => d.Coverage is DestinationCoverage.PublishedRanges or DestinationCoverage.NotPublished), Is.Empty);
        Assert.That(plan.Destinations.Where(d => d.Coverage == DestinationCoverage.Proxy).Select(d => $"{d.HostName} {d.Port}").Distinct(),
            Is.EqualTo(new[] { "proxy.example.internal 3128/tcp" }));
        Assert.That(plan.Sections, Is.Empty, "nothing is reached directly at Datadog's addresses");
        Assert.That(plan.Destinations.Where(d => DestinationMerge.Serves(d, "logs")), Is.Empty, "logs_enabled is not set");
        string everything = string.Join("\n", plan.Notes.Texts().Concat(Reached(plan)));
        Assert.That(everything, Does.Not.Contain("pa55word").And.Not.Contain("dd-user"));
    }

    // Helm chart example agent_apm.yaml: APM over the host port 8126 (portEnabled) and the socket, the process agent "off" by a key the chart no longer reads;
    // the chart's own defaults: DogStatsD non-local traffic, orchestrator explorer, container image and lifecycle.
    [Test]
    public void ChartApmExample_TraceReceiverOnTheNode_ContainerCollectionStillOn()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, Read("helm-agent_apm.yaml"), TestAgent.Version);

        Assert.That(plan.IsKubernetes, Is.True);
        Assert.That(plan.Listeners.Single(l => l.Feature == "apm").Port.ToString(), Is.EqualTo("8126/tcp"));
        Assert.That(plan.Listeners.Single(l => l.Feature == "apm").IsLocalOnly, Is.False, "pods send to the node's agent");
        Assert.That(plan.Listeners.Single(l => l.Feature == "dogstatsd").IsLocalOnly, Is.False, "datadog.dogstatsd.nonLocalTraffic defaults to true");
        Assert.That(Reached(plan), Has.Some.StartsWith("apm trace.agent.datadoghq.com 443/tcp PublishedRanges"));
        // processAgent.enabled is deprecated and no template of chart 3.240.0 reads it: processes-common-envs sets container collection from
        // processAgent.containerCollection (true by default), which the agent sends to the process intake.
        Assert.That(Reached(plan), Has.Some.StartsWith("process process.datadoghq.com"), "processAgent.enabled: false is not read by the chart");
        Assert.That(Reached(plan), Has.Some.StartsWith("orchestrator orchestrator.datadoghq.com"));
        Assert.That(Reached(plan),
            Has.Some.StartsWith("container-image contimage-intake.datadoghq.com").And.Some.StartsWith("container-lifecycle contlcycle-intake.datadoghq.com"));
        Assert.That(Reached(plan), Has.None.StartsWith("logs "), "datadog.logs.enabled defaults to false");
    }

    // Helm chart example agent_otlp.yaml: both OTLP receivers are written out with enabled: false, so no 4317 or 4318;
    // APM over its socket (the chart's values say APM is enabled by default); processAgent.enabled: false, which chart 3.240.0 does not read.
    [Test]
    public void ChartOtlpExample_DisabledReceiversOpenNoPort()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, Read("helm-agent_otlp.yaml"), TestAgent.Version);

        Assert.That(plan.Listeners.Where(l => l.Feature.StartsWith("otlp", StringComparison.Ordinal)), Is.Empty);
        Assert.That(Reached(plan), Has.Some.StartsWith("apm trace.agent.datadoghq.com 443/tcp"));
        Assert.That(Reached(plan), Has.Some.StartsWith("process process.datadoghq.com"), "container collection is on by default");
    }

    [Test]
    public void ChartOtlp_AnEnabledReceiver_OpensItsOwnEndpointsPort()
    {
        const string values = "datadog:\n  otlp:\n    receiver:\n      protocols:\n        grpc:\n          enabled: true\n          endpoint: \"0.0.0.0:5317\"\n";
        AgentPlan plan = AgentConfiguration.Parse(null, null, values, TestAgent.Version);

        Assert.That(plan.Listeners.Where(l => l.Feature.StartsWith("otlp", StringComparison.Ordinal)).Select(l => $"{l.Feature} {l.Port}"),
            Is.EqualTo(new[] { "otlp-grpc 5317/tcp" }));
    }

    // Helm chart example agent_basic_values.yaml: "Logs, APM, Processes, and System Probe enabled" on Agent 7.23.1 (its image
    // tag): logs over HTTPS (the default from 7.19), no Remote Configuration (on by default from 7.47), no container
    // image collection (7.46+), the process agent's container collection (processCollection: false).
    [Test]
    public void ChartBasicExample_LogsApmProcesses_OnItsOwnAgentVersion()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, Read("helm-agent_basic_values.yaml"));

        Assert.That(plan.AgentVersion, Is.EqualTo("7.23.1"), "agents.image.tag");
        Assert.That(Reached(plan), Is.SupersetOf(new[]
        {
            "metrics 7-23-1-app.agent.datadoghq.com 443/tcp PublishedRanges US1",
            "logs agent-http-intake.logs.datadoghq.com 443/tcp PublishedRanges US1",
            "apm trace.agent.datadoghq.com 443/tcp PublishedRanges US1",
            "process process.datadoghq.com 443/tcp PublishedRanges US1",
        }));
        Assert.That(Reached(plan), Has.None.StartsWith("remote-configuration ").And.None.StartsWith("container-image "));
        Assert.That(plan.Sections, Is.SupersetOf(new[] { Section.Agents, Section.Logs, Section.Apm, Section.Process, Section.Orchestrator }));
    }
}
