using System.Net;
using System.Text.Json.Nodes;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Rules;
using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Invariant.Cloud;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>generate -f cilium --by-name</c>: Cilium allows a <c>toFQDNs</c> name wherever its DNS answer points, and a name can point anywhere
/// (<c>169.254.169.254.nip.io</c> is the metadata service; a resolver that lies about a Datadog name). The policies are read back by the
/// published CRD schema and PyYAML, then asked, by Cilium's own semantics (<see cref="CiliumAdmission"/>, given what the pod's lookups
/// answered), whether a connection to what a name resolved to passes: never to a cloud's metadata service or another special-purpose
/// address (the addresses below are each cloud's documented ones, written here, not read from the code), always to a public one.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class CiliumSpecialDestinationTests
{
    private const string ApiKey = "api_key: 0123456789abcdef0123456789abcdef\n";

    // AWS, GCP and Azure's IMDS; ECS task credentials; Alibaba's; EC2's over IPv6; Azure's WireServer; Oracle Classic's; Tencent's; a
    // documentation address (TEST-NET-1) and a multicast one.
    private static readonly string[] Special =
        ["169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254", "168.63.129.16", "192.0.0.192", "169.254.0.23", "192.0.2.10", "224.0.0.251"];

    private const string Public = "34.149.66.137";

    private static readonly Pod Agents = new("datadog", KubernetesPolicyOptions.AgentPodSelector);

    private static readonly Pod ClusterAgent = new("datadog", new Dictionary<string, string> { ["agent.datadoghq.com/component"] = "cluster-agent" });

    // The policies as the published schema checked them and PyYAML read them.
    private static async Task<JsonObject[]> CiliumAsync(params string[] arguments)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, ["generate", "-f", "cilium", "--by-name", .. arguments]);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        return [.. PublishedSchemas.AssertValid("crd", result.Output).Select(d => d.Document)];
    }

    // Whether the pod reaches address on port when the name resolved to it, as Cilium holds the policies.
    private static bool Admits(JsonObject[] policies, Pod pod, string name, string address, int port)
    {
        var lookups = new Dictionary<string, IPAddress[]>(StringComparer.OrdinalIgnoreCase) { [name] = [IPAddress.Parse(address)] };
        return new CiliumAdmission(policies, pod, lookups).Admits(new Packet(Direction.Egress, TransportProtocol.Tcp, IPAddress.Parse(address), port));
    }

    [Test]
    public async Task CiliumByName_NameTheConfigurationGives_ReachesWhatItResolvesTo_NeverASpecialAddress()
    {
        using var files = new TempFiles();
        JsonObject[] output = await CiliumAsync("--agent-config", files.Write("datadog.yaml", ApiKey + "dd_url: http://169.254.169.254.nip.io\n"),
            "--agent-version", TestAgent.Version);

        Assert.That(Admits(output, Agents, "169.254.169.254.nip.io", Public, 80), Is.True, "the name is allowed on its port");
        Assert.That(Special.Where(address => Admits(output, Agents, "169.254.169.254.nip.io", address, 80)), Is.Empty, "a special address, whatever name led there");
        Assert.That(Admits(output, Agents, "169.254.169.254.nip.io", Public, 8443), Is.False, "only on the name's port");
    }

    [Test]
    public async Task CiliumByName_DatadogsOwnNamesAnsweredWithASpecialAddress_AreDeniedThere_ForTheClusterAgentToo()
    {
        using var files = new TempFiles();
        string values = "datadog:\n  site: us5.datadoghq.com\nclusterAgent:\n  enabled: true\n  metricsProvider:\n    enabled: true\n";
        JsonObject[] output = await CiliumAsync("--helm-values", files.Write("values.yaml", values), "--agent-version", TestAgent.Version);

        Assert.That(Admits(output, Agents, "trace.agent.us5.datadoghq.com", Public, 443), Is.True);
        Assert.That(Special.Where(address => Admits(output, Agents, "trace.agent.us5.datadoghq.com", address, 443)), Is.Empty);
        Assert.That(Admits(output, ClusterAgent, "api.us5.datadoghq.com", Public, 443), Is.True);
        Assert.That(Special.Where(address => Admits(output, ClusterAgent, "api.us5.datadoghq.com", address, 443)), Is.Empty,
            "the Cluster Agent's add-only policies deny them too");
    }

    [Test]
    public async Task CiliumByName_SectionsWithoutAnAgent_DenyTheSpecialAddressesTheirNamesMayBeAnsweredWith()
    {
        JsonObject[] output = await CiliumAsync("--section", "logs");

        Assert.That(Admits(output, Agents, "agent-http-intake.logs.datadoghq.com", Public, 443), Is.True);
        Assert.That(Special.Where(address => Admits(output, Agents, "agent-http-intake.logs.datadoghq.com", address, 443)), Is.Empty);
    }

    [Test]
    public async Task CiliumByName_SpecialRelayAllowedOnPurpose_IsReachedOnItsPort_EveryOtherSpecialAddressStaysDenied()
    {
        using var files = new TempFiles();
        JsonObject[] output = await CiliumAsync("--agent-config", files.Write("datadog.yaml", ApiKey + "dd_url: https://169.254.20.10:8443\n"),
            "--agent-version", TestAgent.Version, "--allow-special-relay", "169.254.20.10");

        Assert.That(Admits(output, Agents, "process.datadoghq.com", "169.254.20.10", 8443), Is.True, "the relay, on its port");
        Assert.That(Admits(output, Agents, "unplanned.example", "169.254.20.10", 443), Is.False, "only on its port");
        Assert.That(Special.Where(address => Admits(output, Agents, "process.datadoghq.com", address, 443)), Is.Empty);
    }
}
