using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Cli;

/// <summary>The generate verb's plumbing, through a user-defined emitter registered the public way.</summary>
[TestFixture]
public class GenerateCommandTests
{
    private static Task<ProcessResult> Run(params string[] args) => FwrulesInProcess.RunWithAsync(ListingEmitter.Registry, null, args);

    [Test]
    public async Task Generate_EmbeddedSnapshot_RendersAndSaysItIsOld()
    {
        ProcessResult result = await Run("generate", "--format", "listing", "--section", "logs");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(
            "datadog-egress-tcp-443 [logs]: 3.233.144.0/20 2600:1f18:24e6:b900::/56\n" +
            "datadog-egress-tcp-10516 [logs]: 3.233.144.0/20 2600:1f18:24e6:b900::/56\n"));
        Assert.That(result.Error, Does.Contain("from ip-ranges version 59 (2024-10-17T00:00:00Z)")
            .And.Contain("\nfwrules: warning: this is the snapshot shipped with the tool (US1, version 59, 2024-10-17T00:00:00Z), not the live list"));
    }

    [Test]
    public async Task Generate_NoSection_CoversEveryIngressSectionWhenAskedForIngress()
    {
        ProcessResult result = await Run(
            "generate", "-f", "listing", "--direction", "ingress", "--family", "ipv4", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v52.json"));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.StartWith("datadog-ingress-tcp-443 [synthetics,webhooks]: "));
        Assert.That(result.Error, Does.Not.Contain("not the live list"), "a given document is not the embedded snapshot");
    }

    [Test]
    public async Task Generate_PortsNameAndBudget_AreApplied()
    {
        ProcessResult result = await Run("generate", "-f", "listing", "-s", "agents", "--port", "8443", "--name", "dd", "--max-rules", "8",
            "--input", TestData.Path_("ip-ranges", "datadoghq.com-v30.json"));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.StartWith("dd-egress-tcp-8443 [agents]: "));
        Assert.That(result.Output.Split(' ').Count(p => p.Contains('.', StringComparison.Ordinal)), Is.LessThanOrEqualTo(8), "v30 agents spans eight /8s");
        Assert.That(result.Error, Does.Match(@"--max-rules allowed \d+ extra IPv4 and 0 extra IPv6 addresses"));
    }

    [Test]
    public async Task Generate_Budget_NoteCountsThePrefixesTheOutputHolds()
    {
        ProcessResult result = await Run("generate", "-f", "listing", "-s", "agents", "--max-rules", "9", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v30.json"));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        string[] rules = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] prefixes = rules.SelectMany(line => line.Split(": ")[1].Split(' ')).Distinct().ToArray();
        int ipv4 = prefixes.Count(p => p.Contains('.', StringComparison.Ordinal));
        int ipv6 = prefixes.Length - ipv4;
        Assert.That(ipv4, Is.InRange(1, 9 * rules.Length));
        Assert.That(result.Error, Does.Contain($"; {rules.Length} port rule{(rules.Length == 1 ? "" : "s")}, {ipv4} IPv4 and {ipv6} IPv6 prefixes; --max-rules allowed "));
    }

    [Test]
    public async Task Generate_BudgetThatWouldWidenBeyondASlash8_ExitsOneAndWritesNothing()
    {
        ProcessResult result = await Run("generate", "-f", "listing", "-s", "agents", "--max-rules", "7", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v30.json"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain("7 IPv4 prefixes cannot cover its addresses without prefixes shorter than /8: raise the prefix budget (--max-rules)"));
    }

    [Test]
    public async Task Generate_SectionWithoutTheFamily_ExitsOneAndWritesNothing()
    {
        ProcessResult result = await Run("generate", "-f", "listing", "-s", "webhooks", "--family", "ipv6");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain("webhooks list no IPv6 prefixes"));
    }

    [TestCase("generate", "-s", "logs")]
    [TestCase("generate", "-f", "no-such-format")]
    [TestCase("generate", "-f", "listing", "--name", "x;rm")]
    [TestCase("generate", "-f", "listing", "--port", "70000")]
    [TestCase("generate", "-f", "listing", "--direction", "sideways")]
    public async Task Generate_BadArguments_ExitTwo(params string[] args)
    {
        ProcessResult result = await Run(args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task Generate_UnknownSection_IsAUsageErrorListingTheSections()
    {
        ProcessResult result = await Run("generate", "-f", "listing", "-s", "metrics");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("fwrules: 'metrics' is not a section: use one of agents, api, apm"));
    }

    [Test]
    public async Task Generate_SingleFamilyFormat_SummaryCountsOnlyWhatWasRendered()
    {
        ProcessResult result = await Run("generate", "-f", "ip6tables", "--family", "ipv6", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v27.json"));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Error, Does.Contain("; 1 port rule, 0 IPv4 and 1 IPv6 prefix"));
    }

    [Test]
    public async Task Formats_ListsRegisteredEmitters()
    {
        ProcessResult result = await Run("formats");

        Assert.That(result.Output, Does.Match(@"(?m)^listing +rule names and prefixes, for tests$"), "names are padded to the longest registered one");
    }
}
