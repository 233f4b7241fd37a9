using System.Text.Json.Nodes;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>generate --helm-values</c> for the Kubernetes formats without <c>--open</c>: the kubelet, the API server and NTP
/// the chart's enabled features need, each allowed in the format's own terms, and gone when not needed.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class HelmClusterDestinationTests
{
    private static string Ranges => TestData.Path_("ip-ranges", "datadoghq.com-v59.json");

    internal static async Task<ProcessResult> GenerateAsync(string format, string values, params string[] more)
    {
        string file = Path.Combine(Path.GetTempPath(), $"values-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, values);
        try
        {
            return await FwrulesInProcess.RunAsync(null, ["generate", "-f", format, "--helm-values", file, "--input", Ranges, .. more]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    // The published schemas (data/validators); Calico's namespaced policy is checked against its global kind's schema, as the emitter tests do.
    internal static IReadOnlyList<PublishedSchemas.Checked> Valid(string format, string output) =>
        PublishedSchemas.AssertValid(format == "kubernetes" ? "k8s" : "crd", format == "calico"
            ? output.Replace("kind: NetworkPolicy", "kind: GlobalNetworkPolicy", StringComparison.Ordinal)
            : output);

    internal static JsonNode Spec(IReadOnlyList<PublishedSchemas.Checked> documents, string name) =>
        documents.Single(d => d.Name == name).Document["spec"]!;

    [TestCase("kubernetes")]
    [TestCase("cilium")]
    [TestCase("calico")]
    public async Task Generate_ChartDefaults_AllowTheKubeletAndNtpWithoutOpen_AndNoApiServer(string format)
    {
        ProcessResult result = await GenerateAsync(format, "datadog:\n  site: datadoghq.com\n");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        IReadOnlyList<PublishedSchemas.Checked> documents = Valid(format, result.Output);
        Assert.That(documents.Select(d => d.Name), Does.Contain("datadog-egress-kubelet").And.Contain("datadog-egress-ntp").And.Contain("datadog-egress-dns"));
        Assert.That(documents.Select(d => d.Name), Does.Not.Contain("datadog-egress-kube-apiserver"), "the chart's Cluster Agent serves the node agents");
        Assert.That(result.Output, Does.Contain("In-cluster destinations allowed by their own policies: kubelet (10250/tcp), ntp (123/udp)"));
        Assert.That(result.Error, Does.Not.Contain("not rendered: kubelet").And.Not.Contain("not rendered: ntp"));
    }

    [TestCase("cilium")]
    [TestCase("calico")]
    public async Task Generate_ClusterAgentTurnedOff_AddsTheApiServer_AndTurnedOnRemovesIt(string format)
    {
        ProcessResult off = await GenerateAsync(format, "clusterAgent:\n  enabled: false\n");
        ProcessResult on = await GenerateAsync(format, "clusterAgent:\n  enabled: true\n");

        Assert.That(off.ExitCode, Is.EqualTo(0), off.Error);
        Assert.That(on.ExitCode, Is.EqualTo(0), on.Error);
        Assert.That(Valid(format, off.Output).Select(d => d.Name), Does.Contain("datadog-egress-kube-apiserver"));
        Assert.That(Valid(format, on.Output).Select(d => d.Name), Does.Not.Contain("datadog-egress-kube-apiserver"));
        Assert.That(off.Output, Does.Contain("kube-apiserver (443/tcp, 6443/tcp)"));
    }

    // A NetworkPolicy cannot select the API server: it would allow 443/tcp to every address, where Datadog's hosts are, and the egress
    // allow-list would hold nothing on 443. Whoever can edit the values (clusterAgent.enabled: false) would open it so: the API server is
    // left out unless its addresses are given (--open) or it is asked for by name (--in-cluster kube-apiserver).
    [Test]
    public async Task NetworkPolicy_ClusterAgentTurnedOff_NeverAllows443ToEveryAddress_UnlessAskedFor()
    {
        const string values = "clusterAgent:\n  enabled: false\n";
        ProcessResult off = await GenerateAsync("kubernetes", values);

        Assert.That(off.ExitCode, Is.EqualTo(0), off.Error);
        IReadOnlyList<PublishedSchemas.Checked> documents = Valid("kubernetes", off.Output);
        Assert.That(documents.Select(d => d.Name), Does.Not.Contain("datadog-egress-kube-apiserver").And.Contain("datadog-egress-kubelet"));
        Assert.That(documents.SelectMany(d => d.Document["spec"]?["egress"]?.AsArray() ?? []).Where(rule => rule!.ToJsonString().Contains("\"port\":443", StringComparison.Ordinal))
            .Select(rule => rule!["to"]), Is.Not.Empty.And.None.Null, "443/tcp only to Datadog's ranges");
        Assert.That(off.Error, Does.Contain("not rendered: kube-apiserver (443/tcp, 6443/tcp): this format could allow it only by port alone")
            .And.Contain("--in-cluster kube-apiserver to allow it so on purpose").And.Contain("--open kube-apiserver=ADDRESSES"));

        ProcessResult asked = await GenerateAsync("kubernetes", values, "--in-cluster", "kube-apiserver");
        Assert.That(asked.ExitCode, Is.EqualTo(0), asked.Error);
        Assert.That(Spec(Valid("kubernetes", asked.Output), "datadog-egress-kube-apiserver")["egress"]![0]!["ports"]!.ToJsonString(),
            Is.EqualTo("""[{"protocol":"TCP","port":443},{"protocol":"TCP","port":6443}]"""), "asked for by name, it is allowed so");
        Assert.That(asked.Error, Does.Not.Contain("not rendered: kube-apiserver"));

        ProcessResult addressed = await GenerateAsync("kubernetes", values, "--open", "kube-apiserver=10.96.0.1/32");
        Assert.That(addressed.Error, Does.Not.Contain("not rendered: kube-apiserver"));
        Assert.That(addressed.Output, Does.Contain("10.96.0.1/32"));
    }

    [Test]
    public async Task NetworkPolicy_ClusterDestinations_AreTheirPortsToAnyDestination()
    {
        ProcessResult result = await GenerateAsync("kubernetes", "clusterAgent:\n  enabled: false\n", "--in-cluster", "kube-apiserver");

        IReadOnlyList<PublishedSchemas.Checked> documents = Valid("kubernetes", result.Output);
        JsonNode kubelet = Spec(documents, "datadog-egress-kubelet")["egress"]![0]!;
        Assert.That(kubelet["to"], Is.Null, "no peer: NetworkPolicies cannot select nodes");
        Assert.That(kubelet["ports"]!.ToJsonString(), Is.EqualTo("""[{"protocol":"TCP","port":10250}]"""));
        Assert.That(Spec(documents, "datadog-egress-kube-apiserver")["egress"]![0]!["ports"]!.ToJsonString(),
            Is.EqualTo("""[{"protocol":"TCP","port":443},{"protocol":"TCP","port":6443}]"""));
        Assert.That(Spec(documents, "datadog-egress-ntp")["egress"]![0]!["ports"]!.ToJsonString(), Is.EqualTo("""[{"protocol":"UDP","port":123}]"""));
        Assert.That(result.Output, Does.Contain("so each allows its ports to any destination"), "the header says how wide");
    }

    [Test]
    public async Task Cilium_ClusterDestinations_AreEntities()
    {
        ProcessResult result = await GenerateAsync("cilium", "clusterAgent:\n  enabled: false\n");

        IReadOnlyList<PublishedSchemas.Checked> documents = Valid("cilium", result.Output);
        string Entities(string name) => Spec(documents, name)["egress"]![0]!["toEntities"]!.ToJsonString();
        Assert.That(Entities("datadog-egress-kubelet"), Is.EqualTo("""["host","remote-node"]"""));
        Assert.That(Entities("datadog-egress-kube-apiserver"), Is.EqualTo("""["kube-apiserver"]"""));
        Assert.That(Entities("datadog-egress-ntp"), Is.EqualTo("""["world"]"""));
        Assert.That(Spec(documents, "datadog-egress-kubelet")["egress"]![0]!["toPorts"]!.ToJsonString(), Is.EqualTo("""[{"ports":[{"port":"10250","protocol":"TCP"}]}]"""));
    }

    [Test]
    public async Task Calico_ApiServer_IsTheKubernetesServiceInDefault_TheKubeletItsPort()
    {
        ProcessResult result = await GenerateAsync("calico", "clusterAgent:\n  enabled: false\n");

        IReadOnlyList<PublishedSchemas.Checked> documents = Valid("calico", result.Output);
        Assert.That(Spec(documents, "datadog-egress-kube-apiserver")["egress"]![0]!["destination"]!.ToJsonString(),
            Is.EqualTo("""{"services":{"name":"kubernetes","namespace":"default"}}"""));
        JsonNode kubelet = Spec(documents, "datadog-egress-kubelet")["egress"]![0]!;
        Assert.That(kubelet["protocol"]!.GetValue<string>(), Is.EqualTo("TCP"));
        Assert.That(kubelet["destination"]!.ToJsonString(), Is.EqualTo("""{"ports":[10250]}"""));
    }

    [TestCase("kubernetes")]
    [TestCase("cilium")]
    [TestCase("calico")]
    public async Task Generate_OpenGivenForAClusterDestination_TheNetworksWin(string format)
    {
        ProcessResult result = await GenerateAsync(format, "clusterAgent:\n  enabled: false\n", "--open", "kubelet=10.0.0.0/16", "--in-cluster", "kube-apiserver");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        IReadOnlyList<PublishedSchemas.Checked> documents = Valid(format, result.Output);
        Assert.That(documents.Select(d => d.Name), Does.Not.Contain("datadog-egress-kubelet").And.Contain("datadog-egress-kube-apiserver").And.Contain("datadog-egress-ntp"));
        Assert.That(result.Output, Does.Contain("10.0.0.0/16").And.Contain("agent:kubelet"));
    }

    // Cilium selects the nodes (host, remote-node): the configuration's port is the kubelet's there and nowhere else.
    [Test]
    public async Task Generate_KubeletOnAnotherPort_CiliumAllowsItOnThatPortToTheNodes()
    {
        const string format = "cilium";
        ProcessResult result = await GenerateAsync(format, "datadog:\n  env:\n    - name: DD_KUBERNETES_HTTPS_KUBELET_PORT\n      value: \"10260\"\n");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        JsonNode spec = Spec(Valid(format, result.Output), "datadog-egress-kubelet");
        Assert.That(spec.ToJsonString(), Does.Contain("10260").And.Not.Contain("10250"));
        Assert.That(result.Output, Does.Contain("kubelet (10260/tcp)").And.Not.Contain("10250"), "the header names the port allowed");
        Assert.That(result.Error, Does.Not.Contain("kubelet (10260/tcp"), "nothing left to a warning");
        Assert.That(spec.ToJsonString(), Does.Contain("remote-node"));
    }

    // A NetworkPolicy and a Calico policy cannot select nodes: they allow the kubelet's port to every address. A port the configuration
    // names (whoever can write the agent's values or its DatadogAgent) would open it to the internet: 443, and the egress allow-list is gone.
    // It is taken only as the kubelet's own ports (10250, 10255), or when given on the command line.
    [TestCase("kubernetes")]
    [TestCase("calico")]
    public async Task Generate_KubeletPortTheConfigurationNames_IsNeverOpenedToEveryAddress_UnlessGiven(string format)
    {
        const string values = "datadog:\n  env:\n    - name: DD_KUBERNETES_HTTPS_KUBELET_PORT\n      value: \"443\"\n";
        ProcessResult result = await GenerateAsync(format, values);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        IReadOnlyList<PublishedSchemas.Checked> documents = Valid(format, result.Output);
        Assert.That(documents.Select(d => d.Name), Does.Not.Contain("datadog-egress-kubelet"));
        Assert.That(documents.SelectMany(d => d.Document["spec"]?["egress"]?.AsArray() ?? []).Where(rule => rule!.ToJsonString().Contains("443", StringComparison.Ordinal))
            .Select(rule => format == "kubernetes" ? rule!["to"] : rule!["destination"]?["selector"] ?? rule["destination"]?["nets"]), Is.Not.Empty.And.None.Null,
            "443/tcp is allowed only to named destinations (Datadog's ranges), never to every address");
        Assert.That(result.Error, Does.Contain("not rendered: kubelet on 443/tcp, the port the agent's configuration names").And.Contain("--kubelet-port 443")
            .And.Contain("not rendered: kubelet"));

        ProcessResult given = await GenerateAsync(format, values, "--kubelet-port", "443");
        Assert.That(given.ExitCode, Is.EqualTo(0), given.Error);
        Assert.That(Spec(Valid(format, given.Output), "datadog-egress-kubelet").ToJsonString(), Does.Contain("443"), "given on purpose, it is allowed");
        Assert.That(given.Error, Does.Not.Contain("not rendered: kubelet"));
    }

    [Test]
    public async Task Generate_KubeletOnAnotherPort_AnAddressFormatAsksForItsNetworksOnThatPort()
    {
        ProcessResult result = await GenerateAsync("nftables", "datadog:\n  env:\n    - name: DD_KUBERNETES_HTTPS_KUBELET_PORT\n      value: \"10260\"\n");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Error, Does.Contain("the kubelet (10260/tcp)").And.Contain("kubelet (10260/tcp to the node's kubelet").And.Not.Contain("10250"));
    }

    [Test]
    public async Task Generate_KubeletPortGiven_WinsOverTheConfiguration_WithAWarningNamingBoth()
    {
        ProcessResult result = await GenerateAsync(
            "cilium", "datadog:\n  env:\n    - name: DD_KUBERNETES_HTTPS_KUBELET_PORT\n      value: \"10260\"\n", "--kubelet-port", "10250");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(Spec(Valid("cilium", result.Output), "datadog-egress-kubelet").ToJsonString(), Does.Contain("10250").And.Not.Contain("10260"));
        Assert.That(result.Error, Does.Contain("kubelet: the format allows 10250/tcp, the port given for it; the agent's configuration reaches it on 10260/tcp"));
        Assert.That(result.Error, Does.Not.Contain("not rendered: kubelet"));
    }

    // The chart turns the kubelet's HTTPS port off on GKE Autopilot: the agent reads the kubelet over HTTP, 10255.
    [Test]
    public async Task Generate_GkeAutopilot_AllowsTheKubeletsHttpPort()
    {
        ProcessResult result = await GenerateAsync("kubernetes", "providers:\n  gke:\n    autopilot: true\n");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(Spec(Valid("kubernetes", result.Output), "datadog-egress-kubelet").ToJsonString(), Does.Contain("10255").And.Not.Contain("10250"));
    }

    [TestCase("0")]
    [TestCase("65536")]
    [TestCase("http")]
    public async Task Generate_KubeletPortOutOfRange_IsAUsageError(string port)
    {
        ProcessResult result = await GenerateAsync("kubernetes", "datadog:\n  site: datadoghq.com\n", "--kubelet-port", port);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error.Split('\n')[0], Does.Contain("--kubelet-port"), "the error line names the option");
    }

    [Test]
    public void Options_KubeletPort_MovesTheKubeletsPolicyAndTheHeader()
    {
        RuleSet rules = RuleSet.For(IpRangesDocument.Load(Ranges), [Section.Agents]);

        string moved = rules.ToKubernetesNetworkPolicy(new KubernetesPolicyOptions { ClusterDestinations = [ClusterDestination.Kubelet], KubeletPort = 10260 });
        string notAllowed = rules.ToKubernetesNetworkPolicy(new KubernetesPolicyOptions { KubeletPort = 10260 });

        Assert.That(moved, Does.Contain("port: 10260").And.Contain("kubelet (10260/tcp)").And.Not.Contain("10250"));
        Assert.That(notAllowed, Does.Contain("the kubelet (10260/tcp on its node)"), "the header asks another policy for the port");
        Assert.That(() => new KubernetesPolicyOptions { KubeletPort = 0 }, Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Options_WithoutClusterDestinations_RenderNoneOfThem()
    {
        RuleSet rules = RuleSet.For(IpRangesDocument.Load(Ranges), [Section.Agents]);

        string plain = rules.ToCiliumNetworkPolicy();
        string withApiServer = rules.ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ClusterDestinations = [ClusterDestination.ApiServer, ClusterDestination.ApiServer] });

        Assert.That(plain, Does.Not.Contain("toEntities").And.Contain("another policy must allow those"));
        Assert.That(withApiServer, Does.Contain("name: datadog-egress-kube-apiserver"));
        Assert.That(withApiServer.Split("name: datadog-egress-kube-apiserver").Length, Is.EqualTo(2), "each destination once");
        Assert.That(withApiServer, Does.Contain("The Agent also talks to the kubelet (10250/tcp on its node): another policy must allow those."),
            "with the API server allowed, no Cluster Agent is asked for");
    }

    [Test]
    public async Task Generate_InClusterFlag_WorksWithoutAnAgentConfiguration_AndRefusesUnknownNames()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "calico", "--input", Ranges, "--section", "agents", "--in-cluster", "ntp");
        ProcessResult unknown = await FwrulesInProcess.RunAsync(null, "generate", "-f", "calico", "--input", Ranges, "--section", "agents", "--in-cluster", "etcd");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(Valid("calico", result.Output).Select(d => d.Name), Does.Contain("datadog-egress-ntp"));
        Assert.That(unknown.ExitCode, Is.EqualTo(2));
        Assert.That(unknown.Error, Does.Contain("'etcd' is not an in-cluster destination: use kubelet, kube-apiserver, ntp, cluster-agent"));
    }
}
