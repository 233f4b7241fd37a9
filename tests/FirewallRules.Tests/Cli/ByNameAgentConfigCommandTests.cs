using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// The name-aware outputs of an agent's configuration, the built tool in its own process: <c>generate -f squid|domains|
/// aws-network-firewall|terraform-aws-network-firewall --agent-config</c> allow every host the plan reaches, by name only
/// (container images and lifecycle, LLM Observability, telemetry, flares), of another site (dual shipping) or a relay with
/// its port, and <c>plan --allow-list FORMAT</c> prints the same text as <c>generate -f FORMAT</c>: one host list for all of
/// them, Cilium's <c>--by-name</c> too.
/// </summary>
[TestFixture]
public class ByNameAgentConfigCommandTests
{
    private const string Key = "0123456789abcdef0123456789abcdef";

    /// <summary>The hosts the configuration reaches, each with its port: none of them is in a US1 section at its port.</summary>
    private static readonly (string Host, int Port)[] Expected =
    [
        ("relay.internal", 8443),
        ("contimage-intake.datadoghq.com", 443),
        ("contlcycle-intake.datadoghq.com", 443),
        ("llmobs-intake.datadoghq.com", 443),
        ("instrumentation-telemetry-intake.datadoghq.com", 443),
        ($"{TestAgent.InHostNames}-app.agent.datadoghq.eu", 443),
    ];

    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private string Config() => _files.Write("datadog.yaml", $"""
        api_key: {Key}
        dd_url: https://relay.internal:8443
        additional_endpoints:
          "https://app.datadoghq.eu": [{Key}]
        container_image:
          enabled: true
        container_lifecycle:
          enabled: true
        evp_proxy_config:
          enabled: true
        apm_config:
          telemetry:
            enabled: true
        """);

    private async Task<string> Generate(string format)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--agent-config", Config(), "--agent-version", TestAgent.Version);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        return result.Output;
    }

    [Test]
    public async Task GenerateDomains_AgentConfig_ListsEveryPlannedHostWithItsPort()
    {
        string[] lines = (await Generate("domains")).Split('\n');

        foreach ((string host, int port) in Expected)
        {
            Assert.That(lines, Has.Some.StartsWith($"{host} {port}/tcp "), host);
        }
    }

    [Test]
    public async Task GenerateSquid_AgentConfig_AllowsConnectToEveryPlannedHostOnItsPort()
    {
        string text = await Generate("squid");

        foreach ((string host, int port) in Expected)
        {
            Assert.That(text, Does.Contain($"acl datadog_port_{port} port {port}\n").And.Contain($"acl datadog_hosts_{port} dstdomain -n {host}\n"), host);
        }
    }

    [Test]
    public async Task GenerateAwsNetworkFirewall_AgentConfig_TargetsEveryPlannedHostAndStatesItsPorts()
    {
        JsonNode template = JsonNode.Parse(await Generate("aws-network-firewall"))!;
        JsonNode properties = template["Resources"]!.AsObject().Single().Value!["Properties"]!;
        string[] targets = [.. properties["RuleGroup"]!["RulesSource"]!["RulesSourceList"]!["Targets"]!.AsArray().Select(t => (string)t!)];

        Assert.That(targets, Is.SupersetOf(Expected.Select(e => e.Host)));
        Assert.That((string)properties["Description"]!, Does.Contain("8443/tcp"), "the relay's port is stated");
    }

    [Test]
    public async Task GenerateTerraformAwsNetworkFirewall_AgentConfig_TargetsEveryPlannedHost()
    {
        string text = await Generate("terraform-aws-network-firewall");

        foreach ((string host, _) in Expected)
        {
            Assert.That(text, Does.Contain($"\"{host}\",\n"), host);
        }
    }

    [Test]
    public async Task GenerateCiliumByName_AgentConfig_AllowsEveryPlannedHostOnItsPortAndSaysNoneIsMissing()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "--agent-config", Config(), "--agent-version", TestAgent.Version);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        foreach ((string host, _) in Expected)
        {
            Assert.That(result.Output, Does.Contain($"- matchName: {(host[0] is >= '0' and <= '9' ? $"\"{host}\"" : host)}\n"), host);
        }

        Assert.That(result.Output, Does.Contain("  name: datadog-egress-tcp-8443\n"), "the relay on its own port");
        Assert.That(result.Error, Does.Not.Contain("not rendered: relay.internal").And.Not.Contain("not rendered: contimage-intake"));
    }

    [TestCase("domains")]
    [TestCase("squid")]
    [TestCase("aws-network-firewall")]
    [TestCase("terraform-aws-network-firewall")]
    public async Task PlanAllowList_EveryNameAwareFormat_PrintsWhatGenerateWrites(string format)
    {
        ProcessResult plan = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", Config(), "--agent-version", TestAgent.Version, "--allow-list", format);

        Assert.That(plan.ExitCode, Is.Zero, plan.Error);
        Assert.That(plan.Output, Is.EqualTo(await Generate(format)));
    }
}
