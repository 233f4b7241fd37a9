namespace FirewallRules.Tests.Cli;

/// <summary><c>generate -f cilium --by-name</c> from a saved document: the host names depend on the site only, which <c>--site</c> names.</summary>
[TestFixture]
public class GenerateByNameOfflineTests
{
    [Test]
    public async Task GenerateCiliumByName_InputWithSite_AllowsThatSitesHostNames()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(
            null, "generate", "-f", "cilium", "--by-name", "-s", "logs", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v59.json"), "--site", "eu1");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("matchName: agent-http-intake.logs.datadoghq.eu\n").And.Contain("matchName: agent-intake.logs.datadoghq.eu\n"));
        Assert.That(result.Output, Does.Not.Contain("logs.datadoghq.com"));
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
