namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>generate -f cilium --by-name</c> from a saved document, and the formats that allow names only with no document: the
/// host names depend on the site only, which <c>--site</c> names.
/// </summary>
[TestFixture]
public class GenerateByNameOfflineTests
{
    [Test]
    public async Task GenerateCiliumByName_InputWithSite_AllowsThatSitesHostNames()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(
            null, "generate", "-f", "cilium", "--by-name", "-s", "logs", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v59.json"), "--site", "eu1");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("matchName: agent-http-intake.logs.datadoghq.eu\n").And.Not.Contain("agent-intake.logs.datadoghq.eu"), "EU1's TCP logs go to 443");
        Assert.That(result.Output, Does.Not.Contain("logs.datadoghq.com"));
    }

    [Test]
    public async Task GenerateAwsNetworkFirewall_OfflineWithAnotherSite_NeedsNoDocumentAndCountsHostNames()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "aws-network-firewall", "-s", "logs", "--site", "eu1");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("\"agent-http-intake.logs.datadoghq.eu\"").And.Not.Contain("datadoghq.com\"").And.Not.Contain("snapshot"));
        Assert.That(result.Error, Does.Contain("host names").And.Not.Contain("prefixes"));
    }

    [Test]
    public async Task Generate_SiteOtherThanTheOneTheInputsPathNames_SaysBoth()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(
            null, "generate", "-f", "nftables", "-s", "logs", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v59.json"), "--site", "eu1");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Does.Contain("fwrules: warning: --site eu1 reads ").And.Contain("as EU1's document, but its path names US1's"));
    }

    [Test]
    public async Task GenerateCiliumByName_InputWithoutSite_ExitsOneAskingForTheAddressForm()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(
            null, "generate", "-f", "cilium", "--by-name", "-s", "logs", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v59.json"));

        Assert.That((result.ExitCode, result.Output), Is.EqualTo((1, string.Empty)));
        Assert.That(result.Error, Does.Contain("host names are known for Datadog's sites only"));
    }
}
