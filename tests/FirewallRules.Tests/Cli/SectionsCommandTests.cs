using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Cli;

[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class SectionsCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-sections-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Sections_Embedded_ListsEverySectionWithItsDateCountsAndDirection()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "sections");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo("""
            ip-ranges version 59 (2024-10-17T00:00:00Z), the snapshot built into fwrules (US1); it is old: run 'fwrules fetch' for current ranges
            SECTION                         IPV4  IPV6  KNOWN  DIRECTION
            agents                             1     1  yes    egress
            api                                1     1  yes    egress
            apm                                1     1  yes    egress
            global                             1     1  yes    egress
            logs                               1     1  yes    egress
            orchestrator                       1     1  yes    egress
            process                            1     1  yes    egress
            remote-configuration               1     1  yes    egress
            synthetics                        90     0  yes    ingress
            synthetics-private-locations       1     1  yes    egress
            webhooks                          14     0  yes    ingress

            """.ReplaceLineEndings("\n")));
    }

    [Test]
    public async Task Sections_InputWithASectionDatadogMayAdd_ListsItAsUnknown()
    {
        string path = Path.Combine(_directory, "v47-plus.json");
        File.WriteAllBytes(path, DocumentEdits.Edit(47, root => root["ndm"] = root["apm"]!.DeepClone()));

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "sections", "--input", path);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.StartWith($"ip-ranges version 47 (2022-01-25T20:00:00Z) from {path}\n"));
        Assert.That(result.Output, Does.EndWith("ndm                                1     1  no     -\n"));
        Assert.That(result.Output, Does.Not.Contain("synthetics-private-locations"), "v47 predates that section");
    }

    [Test]
    public async Task Sections_InputMissing_ExitsOne()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "sections", "--input", Path.Combine(_directory, "missing.json"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("fwrules: cannot read "));
    }

    [Test]
    public async Task Sites_RealProcess_ListsEverySiteWithItsAddressAndPrivateConnectivity()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "sites");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo("""
            NAME     DOMAIN              IP RANGES                            PRIVATE CONNECTIVITY
            us1      datadoghq.com       https://ip-ranges.datadoghq.com/     AWS PrivateLink in us-east-1
            us3      us3.datadoghq.com   https://ip-ranges.us3.datadoghq.com/ Azure Private Link in westus2
            us5      us5.datadoghq.com   https://ip-ranges.us5.datadoghq.com/ Google Cloud Private Service Connect in us-central1
            eu1      datadoghq.eu        https://ip-ranges.datadoghq.eu/      Google Cloud Private Service Connect in europe-west3
            ap1      ap1.datadoghq.com   https://ip-ranges.ap1.datadoghq.com/ AWS PrivateLink in ap-northeast-1
            ap2      ap2.datadoghq.com   https://ip-ranges.ap2.datadoghq.com/ AWS PrivateLink in ap-southeast-2
            uk1      uk1.datadoghq.com   https://ip-ranges.uk1.datadoghq.com/ AWS PrivateLink in eu-west-2
            us1-fed  ddog-gov.com        https://ip-ranges.ddog-gov.com/      not offered
            us2-fed  us2.ddog-gov.com    https://ip-ranges.us2.ddog-gov.com/  not offered

            """.ReplaceLineEndings("\n")));
    }

    [TestCase("sections")]
    [TestCase("sites")]
    [TestCase("diff")]
    public async Task Help_EveryNewVerb_HasExamples(string verb)
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, verb, "--help");

        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Output, Does.Contain("Example"));
    }
}
