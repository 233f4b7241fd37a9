using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Each note a command acts on carries its kind (<see cref="AgentNoteKind"/>), given by the configuration that calls for
/// it and by no other: generate and sync decide by the kind, so rewording a note changes no output but its text.
/// </summary>
[TestFixture]
public class AgentNoteKindTests
{
    private const string Helm = "datadog:\n  apiKey: x\n";

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData("api_key: x\nproxy:\n  https: http://proxy.example:3128\n", null, AgentNoteKind.Proxy,
            "The agent sends its HTTPS traffic through the proxy proxy.example:3128")
            .SetName("{m}(proxy.https)");
        yield return new TestCaseData("api_key: x\nremote_configuration:\n  rc_dd_url: http://rc.example.com\n", null, AgentNoteKind.NotReachedAsPlanned,
            "remote_configuration.rc_dd_url is not an https:// URL")
            .SetName("{m}(plain Remote Configuration URL)");
        yield return new TestCaseData("api_key: x\nsite: us3.datadoghq.com\nlogs_enabled: true\nlogs_config:\n  force_use_tcp: true\n", null,
            AgentNoteKind.NotReachedAsPlanned, "Logs over TCP: Datadog has no TCP logs intake on").SetName("{m}(logs over TCP on US3)");
        yield return new TestCaseData(null, Helm, AgentNoteKind.ClusterDestinations, "Kubernetes: DNS goes to kube-dns").SetName("{m}(Helm values)");
        yield return new TestCaseData(null, Helm, AgentNoteKind.ClusterAgent, "Kubernetes: the node agents take cluster metadata from the Cluster Agent")
            .SetName("{m}(Helm values, Cluster Agent)");
        yield return new TestCaseData(null, Helm + "agents:\n  image:\n    tag: 7.60.1\n", AgentNoteKind.UnlabelledPods, "Helm chart: ").SetName("{m}(chart older than 3.140.0)");
        yield return new TestCaseData(null, Helm + "agents:\n  useHostNetwork: true\n", AgentNoteKind.HostNetwork,
            "agents.useHostNetwork puts the Agent's pods on the host's network").SetName("{m}(agents.useHostNetwork)");
    }

    [TestCaseSource(nameof(Cases))]
    public void Configuration_ThatCallsForTheKind_GivesItToTheNoteThatSaysIt(string? config, string? helm, AgentNoteKind kind, string opening)
    {
        AgentPlan plan = AgentConfiguration.Parse(config, null, helm);
        string[] texts = [.. plan.Notes.Where(n => n.Kind == kind).Select(n => n.Text)];

        Assert.That(texts, Has.Length.EqualTo(1), string.Join('\n', plan.Notes));
        Assert.That(texts[0], Does.StartWith(opening));
    }

    [Test]
    public void PlainAgent_WithoutProxyOrKubernetes_HasOnlyGeneralNotes()
    {
        AgentPlan plan = AgentConfiguration.Parse("api_key: x\nsite: datadoghq.eu\nlogs_enabled: true\n");

        Assert.That(plan.Notes, Is.Not.Empty);
        Assert.That(plan.Notes.Select(n => n.Kind).Distinct(), Is.EqualTo(new[] { AgentNoteKind.General }));
    }

    [Test]
    public void NewChart_OnItsOwnNetwork_HasNoPodSelectionNote()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, Helm + "agents:\n  image:\n    tag: " + TestAgent.Version + "\n");

        Assert.That(plan.Notes.Select(n => n.Kind), Has.None.EqualTo(AgentNoteKind.UnlabelledPods).And.None.EqualTo(AgentNoteKind.HostNetwork));
    }

    [Test]
    public void KeyANoteExplains_IsNotSaidAgainAsSetWhileItsFeatureIsOff()
    {
        AgentPlan plan = AgentConfiguration.Parse("api_key: x\nremote_configuration:\n  rc_dd_url: http://rc.example.com\n");

        Assert.That(plan.Notes.Where(n => n.Text.Contains("rc_dd_url", StringComparison.Ordinal)).Select(n => n.Kind),
            Is.EqualTo(new[] { AgentNoteKind.NotReachedAsPlanned }), string.Join('\n', plan.Notes));
    }

    [Test]
    public void Note_ShowsAsItsText()
    {
        var note = new AgentNote(AgentNoteKind.Proxy, "through the proxy");

        Assert.That($"{note}", Is.EqualTo("through the proxy"));
    }
}
