using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Cli;

/// <summary>One stderr line for what a user must know before applying an output.</summary>
[TestFixture]
public class GenerateWarningsTests
{
    private static Task<ProcessResult> Run(params string[] args) => FwrulesInProcess.RunAsync(null, args);

    [Test]
    public async Task Generate_NftablesStrict_WarnsThatOtherTrafficOnThosePortsIsDropped()
    {
        ProcessResult result = await Run("generate", "-f", "nftables-strict", "-s", "logs");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Error, Does.Contain("\nfwrules: warning: this output drops every other new connection on ports 443/tcp, 10516/tcp (loopback excepted)"));
    }

    [Test]
    public async Task Generate_AzureEgressAllowList_WarnsOfTheInternetDenyUnlessLeftOut()
    {
        ProcessResult with = await Run("generate", "-f", "azure-nsg", "-s", "logs");
        ProcessResult without = await Run("generate", "-f", "azure-nsg", "-s", "logs", "--no-internet-deny");

        Assert.That(with.Error, Does.Contain("fwrules: warning: this output denies all other outbound Internet traffic"));
        Assert.That(without.Error, Does.Not.Contain("Internet"));
    }

    [Test]
    public async Task Generate_PlainNftables_HasOnlyTheSnapshotWarning()
    {
        ProcessResult result = await Run("generate", "-f", "nftables", "-s", "logs");

        Assert.That(result.Error.Split('\n').Count(line => line.StartsWith("fwrules: warning:", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task Generate_DocumentWithAnUnknownSection_NamesTheSkippedSection()
    {
        JsonNode document = JsonNode.Parse(File.ReadAllText(TestData.Path_("ip-ranges", "datadoghq.com-v52.json")))!;
        document["quantum-relay"] = new JsonObject { ["prefixes_ipv4"] = new JsonArray("3.233.144.0/20"), ["prefixes_ipv6"] = new JsonArray() };
        string path = Path.Combine(Path.GetTempPath(), $"fwrules-unknown-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, document.ToJsonString());
        try
        {
            ProcessResult all = await Run("generate", "-f", "nftables", "--input", path);
            ProcessResult chosen = await Run("generate", "-f", "nftables", "-s", "logs", "--input", path);

            Assert.That(all.ExitCode, Is.EqualTo(0), all.Error);
            Assert.That(all.Error, Does.Contain("fwrules: warning: " +
                "skipped a section this version of fwrules does not know: quantum-relay (add one with --section NAME --port PORT"));
            Assert.That(chosen.Error, Does.Not.Contain("skipped"), "the user chose the sections");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
