using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// A relay the agent reaches by its address (<c>dd_url: https://10.20.30.40:8443</c>) has no name for Cilium's <c>toFQDNs</c>:
/// <c>generate -f cilium --by-name</c> leaves it out as the other name-aware outputs do, and says so on stderr instead of
/// dropping it without a word.
/// </summary>
[TestFixture]
public class CiliumByNameAddressTests
{
    [Test]
    public async Task CiliumByName_RelayGivenByAddress_IsNamedInAWarning()
    {
        using var files = new TempFiles();
        string config = files.Write("datadog.yaml", "api_key: 0123456789abcdef0123456789abcdef\ndd_url: https://10.20.30.40:8443\n");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "--agent-config", config, "--agent-version", "7.81.1");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Not.Contain("10.20.30.40"), "toFQDNs holds names only");
        Assert.That(result.Error, Does.Match(@"warning: .*10\.20\.30\.40 8443/tcp \(metrics[^)]*\): an address"));
    }
}
