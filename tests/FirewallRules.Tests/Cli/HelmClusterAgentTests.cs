using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FirewallRules.Emitters.Kubernetes;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>generate --helm-values</c> with the chart's Cluster Agent (its default, <c>clusterAgent.enabled</c>): the node agents'
/// egress to its pods on 5005/tcp, selected by the label the chart puts on them, in each Kubernetes format's terms, checked
/// against the published schemas; the warning left for the formats that cannot render it; and summaries counting the policies.
/// </summary>
[TestFixture]
[Category("RealTools")]
public partial class HelmClusterAgentTests
{
    private const string NotRendered = "not rendered: the node agents' connections to the Cluster Agent (5005/tcp";

    private const string AgentSelector = """{"matchLabels":{"agent.datadoghq.com/component":"agent"}}""";

    private static Task<ProcessResult> GenerateAsync(string format, string values, params string[] more) =>
        HelmClusterDestinationTests.GenerateAsync(format, values, more);

    private static JsonNode ClusterAgentRule(string format, ProcessResult result) =>
        HelmClusterDestinationTests.Spec(HelmClusterDestinationTests.Valid(format, result.Output), "datadog-egress-cluster-agent")["egress"]![0]!;

    [TestCase("kubernetes", "")]
    [TestCase("kubernetes", "clusterAgent:\n  enabled: true\n")]
    [TestCase("cilium", "")]
    [TestCase("calico", "")]
    public async Task Generate_ClusterAgentOn_AllowsTheNodeAgentsItsPodsOn5005_WithoutAWarning(string format, string values)
    {
        ProcessResult on = await GenerateAsync(format, values + "datadog:\n  site: datadoghq.com\n");

        Assert.That(on.ExitCode, Is.EqualTo(0), on.Error);
        string expected = format switch
        {
            "kubernetes" => """{"to":[{"podSelector":{"matchLabels":{"agent.datadoghq.com/component":"cluster-agent"}}}],"ports":[{"protocol":"TCP","port":5005}]}""",
            "cilium" => """{"toEndpoints":[{"matchLabels":{"k8s:agent.datadoghq.com/component":"cluster-agent"}}],"toPorts":[{"ports":[{"port":"5005","protocol":"TCP"}]}]}""",
            _ => """{"action":"Allow","protocol":"TCP","destination":{"selector":"agent.datadoghq.com/component == 'cluster-agent'","ports":[5005]}}""",
        };
        Assert.That(ClusterAgentRule(format, on).ToJsonString().Replace("\\u0027", "'", StringComparison.Ordinal), Is.EqualTo(expected));
        Assert.That(on.Error, Does.Not.Contain(NotRendered));
        Assert.That(on.Output, Does.Contain("The node agents reach the Cluster Agent (5005/tcp), allowed by a policy of its own to its pods alone"));
        Assert.That(on.Output, Does.Not.Contain("the Cluster Agent (5005/tcp): another policy must allow those"));
        Assert.That(on.Output, Does.Not.Contain("the Kubernetes API server: another policy must allow those"), "the node agents ask the Cluster Agent instead");
        Assert.That(on.Output, Does.Contain("the Helm chart from 3.140.0 put on them: with an older chart no pod carries it and these policies restrict nothing"));
    }

    [TestCase("kubernetes")]
    [TestCase("cilium")]
    public async Task Generate_ClusterAgentOn_SelectsTheNodeAgentsAsTheOtherPolicies(string format)
    {
        ProcessResult on = await GenerateAsync(format, string.Empty);

        JsonNode spec = HelmClusterDestinationTests.Spec(HelmClusterDestinationTests.Valid(format, on.Output), "datadog-egress-cluster-agent");
        Assert.That(spec[format == "kubernetes" ? "podSelector" : "endpointSelector"]!.ToJsonString(), Is.EqualTo(AgentSelector));
        Assert.That(spec["policyTypes"]?.ToJsonString() ?? """["Egress"]""", Is.EqualTo("""["Egress"]"""));
    }

    [TestCase("kubernetes")]
    [TestCase("cilium")]
    [TestCase("calico")]
    public async Task Generate_ClusterAgentOff_RendersNoPolicyForIt(string format)
    {
        ProcessResult off = await GenerateAsync(format, "clusterAgent:\n  enabled: false\n");

        Assert.That(off.ExitCode, Is.EqualTo(0), off.Error);
        Assert.That(HelmClusterDestinationTests.Valid(format, off.Output).Select(d => d.Name), Does.Not.Contain("datadog-egress-cluster-agent"));
        Assert.That(off.Output.Split('\n').Where(l => !l.TrimStart().StartsWith('#')), Has.None.Contains("5005"));
        Assert.That(off.Error, Does.Not.Contain("Cluster Agent (5005/tcp"));
        // A NetworkPolicy leaves the API server to another policy (it would allow 443/tcp to every address): the header says the node agents
        // need it or a Cluster Agent; the others allow the API server and say nothing of a Cluster Agent.
        Assert.That(off.Output, format == "kubernetes"
            ? Does.Contain("The Agent also talks to the Kubernetes API server, the Cluster Agent (5005/tcp): another policy must allow those")
            : Does.Not.Contain("the Cluster Agent (5005/tcp): another policy must allow those"), "there is none");
    }

    [Test]
    public async Task GenerateCiliumByName_ClusterAgentOn_AllowsItsPodsBesideTheNames()
    {
        ProcessResult on = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "--helm-values", Values("datadog:\n  site: datadoghq.eu\n"));

        Assert.That(on.ExitCode, Is.EqualTo(0), on.Error);
        Assert.That(ClusterAgentRule("cilium", on)["toEndpoints"]!.ToJsonString(), Is.EqualTo("""[{"matchLabels":{"k8s:agent.datadoghq.com/component":"cluster-agent"}}]"""));
        Assert.That(on.Error, Does.Not.Contain(NotRendered));
    }

    [Test]
    public async Task GenerateCiliumClusterWide_ClusterAgent_IsSelectedInAnyNamespace_AndTheHeaderSaysSo()
    {
        ProcessResult on = await GenerateAsync("cilium", string.Empty, "--cluster-wide");

        Assert.That(on.ExitCode, Is.EqualTo(0), on.Error);
        Assert.That(ClusterAgentRule("cilium", on)["toEndpoints"]!.ToJsonString(), Does.Not.Contain("namespace"));
        Assert.That(on.Output, Does.Contain("agent.datadoghq.com/component=cluster-agent, the label the Helm chart and the Operator put on them, in any namespace"));
    }

    [Test]
    public async Task Generate_OpenGivenForTheClusterAgent_IsWarnedAbout_AndItsPodsAreStillSelected()
    {
        ProcessResult on = await GenerateAsync("kubernetes", string.Empty, "--open", "cluster-agent=10.0.0.0/8");

        Assert.That(on.ExitCode, Is.EqualTo(0), on.Error);
        Assert.That(ClusterAgentRule("kubernetes", on)["to"]!.ToJsonString(), Does.Contain("cluster-agent"));
        Assert.That(on.Output, Does.Not.Contain("10.0.0.0/8"));
        Assert.That(on.Error, Does.Contain("fwrules: warning: --open cluster-agent: ").And.Not.Contain(NotRendered));
    }

    [Test]
    public async Task Generate_HostFormatWithTheClusterAgentOn_StillWarnsItIsNotRendered()
    {
        ProcessResult on = await GenerateAsync("nftables", string.Empty);

        Assert.That(on.ExitCode, Is.EqualTo(0), on.Error);
        Assert.That(on.Error, Does.Contain($"fwrules: warning: {NotRendered}, clusterAgent.enabled): allow egress to its pods on 5005/tcp in a policy of your own"));
    }

    [Test]
    public async Task Generate_InClusterClusterAgent_WorksWithoutAnAgentConfiguration()
    {
        string ranges = TestData.Path_("ip-ranges", "datadoghq.com-v59.json");
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "kubernetes", "--input", ranges, "-s", "agents", "--in-cluster", "cluster-agent");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(ClusterAgentRule("kubernetes", result)["ports"]!.ToJsonString(), Is.EqualTo("""[{"protocol":"TCP","port":5005}]"""));
        Assert.That(result.Output, Does.Contain("The Agent also talks to the kubelet (10250/tcp on its node): another policy must allow those."));
    }

    [Test]
    public void Options_EveryClusterDestination_LeaveNothingForAnotherPolicyToAllow()
    {
        RuleSet rules = RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v59.json")), [Section.Agents]);

        string all = rules.ToKubernetesNetworkPolicy(new KubernetesPolicyOptions { ClusterDestinations = [.. Enum.GetValues<ClusterDestination>()] });

        Assert.That(all, Does.Contain("These egress policies deny everything else the selected pods send.\n").And.Not.Contain("The Agent also talks to"));
    }

    [TestCase("kubernetes", "")]
    [TestCase("cilium", "")]
    [TestCase("cilium", "--by-name")]
    [TestCase("calico", "")]
    public async Task Generate_HelmValues_SummaryCountsThePoliciesTheFileHolds(string format, string flag)
    {
        string values = Values("datadog:\n  site: ap1.datadoghq.com\n  env:\n    - name: DD_PROXY_HTTPS\n      value: http://10.20.0.5:3128\n");
        ProcessResult result = await FwrulesInProcess.RunAsync(null, ["generate", "-f", format, "--helm-values", values, .. flag.Length == 0 ? Array.Empty<string>() : [flag]]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        int policies = result.Output.Split('\n').Count(l => l is "kind: NetworkPolicy" or "kind: CiliumNetworkPolicy");
        Assert.That(Summary().Match(result.Error).Groups["policies"].Value, Is.EqualTo($"{policies}"), result.Error);
        Assert.That(result.Error, Does.EndWith(format == "cilium" && flag.Length > 0
            ? $"; {policies} policies: 4 host names, 1 port rule by address (1 IPv4 and 0 IPv6 prefixes), kubelet, ntp, cluster-agent, dns\n"
            : $"; {policies} policies: 1 port rule by address (1 IPv4 and 0 IPv6 prefixes), kubelet, ntp, cluster-agent, dns\n"));
    }

    private static string Values(string text)
    {
        string file = Path.Combine(Path.GetTempPath(), $"values-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, text);
        return file;
    }

    [GeneratedRegex(@"; (?<policies>\d+) polic(y|ies): ")]
    private static partial Regex Summary();
}
