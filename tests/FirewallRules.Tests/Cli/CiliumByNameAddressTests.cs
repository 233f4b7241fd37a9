using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// A relay the agent reaches by its address (<c>dd_url: https://10.20.30.40:8443</c>, <c>logs_config.logs_dd_url: 10.0.0.5:10516</c>)
/// has no name for Cilium's <c>toFQDNs</c>: <c>generate -f cilium --by-name</c> allows it by address (<c>toCIDRSet</c> with its /32 or
/// /128 on its port) so the agent reaches it, and has nothing left to warn of; the lists of names (<c>domains</c>) still leave it out.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class CiliumByNameAddressTests
{
    private const string ApiKey = "api_key: 0123456789abcdef0123456789abcdef\n";

    private static Task<ProcessResult> Cilium(TempFiles files, string config) => FwrulesInProcess.RunAsync(
        null, "generate", "-f", "cilium", "--by-name", "--agent-config", files.Write("datadog.yaml", ApiKey + config), "--agent-version", TestAgent.Version);

    // The egress rules of the policy named name, as the published schema checked them.
    private static string PolicyText(string output, string name) =>
        output.Split("\n---\n").Single(document => document.Contains($"  name: {name}\n", StringComparison.Ordinal));

    [Test]
    public async Task CiliumByName_RelaysGivenByAddress_AreAllowedByCidrOnTheirPorts_WithoutWarning()
    {
        using var files = new TempFiles();

        ProcessResult result = await Cilium(files, "dd_url: https://10.20.30.40:8443\nlogs_enabled: true\nlogs_config:\n  logs_dd_url: 10.0.0.5:10516\n");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        PublishedSchemas.AssertValid("crd", result.Output);
        Assert.That(PolicyText(result.Output, "datadog-egress-tcp-8443"),
            Does.Contain("  - toCIDRSet:\n    - cidr: 10.20.30.40/32\n    toPorts:\n    - ports:\n      - port: \"8443\"\n        protocol: TCP"));
        Assert.That(PolicyText(result.Output, "datadog-egress-tcp-10516"), Does.Contain("- cidr: 10.0.0.5/32\n").And.Contain("port: \"10516\""));
        Assert.That(result.Error, Does.Not.Contain("10.20.30.40").And.Not.Contain("10.0.0.5"), "nothing is left out");
    }

    [Test]
    public async Task CiliumByName_Ipv6RelayOnANamedPort_SharesThePolicyOfTheNames_AsA128()
    {
        using var files = new TempFiles();

        ProcessResult result = await Cilium(files, "dd_url: https://[fd00:db8::7]\n");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        PublishedSchemas.AssertValid("crd", result.Output);
        string policy = PolicyText(result.Output, "datadog-egress-tcp-443");
        Assert.That(policy, Does.Contain("- toFQDNs:").And.Contain("- toCIDRSet:\n    - cidr: fd00:db8::7/128\n"));
        Assert.That(policy, Does.Contain("and by address for metrics+flare"));
    }

    [Test]
    public async Task Domains_RelayGivenByAddress_StillLeftOutWithWhy()
    {
        using var files = new TempFiles();
        string config = files.Write("datadog.yaml", ApiKey + "dd_url: https://10.20.30.40:8443\n");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "domains", "--agent-config", config, "--agent-version", TestAgent.Version);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("# not listed: 10.20.30.40 8443/tcp (metrics+flare): an address, not a host name"));
        Assert.That(result.Error, Does.Match(@"fwrules: warning: not rendered by name: 10\.20\.30\.40 8443/tcp"));
    }
}
