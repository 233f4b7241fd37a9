using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.Emitters.Azure;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Emitters.Nftables;

namespace FirewallRules.Tests.Cli;

/// <summary>Every library setting that changes what a user applies is reachable from <c>generate</c>, and refusals name the flag.</summary>
[TestFixture]
public class GeneratePlatformOptionsTests
{
    private static string V30 => TestData.Path_("ip-ranges", "datadoghq.com-v30.json");

    private static string Doc(int version) => TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json");

    private static Task<ProcessResult> Run(params string[] args) => FwrulesInProcess.RunAsync(null, args);

    private static string Library(string format, string document, EmitterOptions options) =>
        RuleSet.For(IpRangesDocument.Load(document), Section.Agents).Render(EmitterRegistry.Default.Create(format, options));

    [Test]
    public async Task Generate_RulesPerGroup_WritesWhatTheLibraryWritesWithThatQuota()
    {
        ProcessResult result = await Run("generate", "-f", "aws-cloudformation", "-s", "agents", "--rules-per-group", "200", "--prefix-lists", "--input", V30);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(Library("aws-cloudformation", V30, new AwsSecurityGroupOptions { RulesPerGroup = 200, UsePrefixLists = true })));
        Assert.That(result.Output, Does.Contain("AWS::EC2::PrefixList"));
    }

    [Test]
    public async Task Generate_QuotaRefusal_NamesTheFlagThatRaisesIt()
    {
        ProcessResult result = await Run("generate", "-f", "aws-sg", "-s", "agents", "--rules-per-group", "1", "--input", V30);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain("raise --rules-per-group after AWS raises your quota, or set a prefix budget (--max-rules)").And.Not.Contain("RulesPerGroup"));
    }

    [Test]
    public async Task Generate_PrefixListsWithTheScript_RefusalNamesTheFlag()
    {
        ProcessResult result = await Run("generate", "-f", "aws-sg", "-s", "logs", "--prefix-lists");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("use aws-cloudformation or terraform for --prefix-lists"));
    }

    [Test]
    public async Task Generate_KeepDefaultEgress_LeavesTheRevokeOut()
    {
        ProcessResult kept = await Run("generate", "-f", "aws-sg", "-s", "logs", "--keep-default-egress");
        ProcessResult revoked = await Run("generate", "-f", "aws-sg", "-s", "logs");

        Assert.That(kept.ExitCode, Is.EqualTo(0), kept.Error);
        Assert.That(revoked.Output, Does.Contain("revoke-security-group-egress"));
        Assert.That(kept.Output, Does.Not.Contain("revoke-security-group-egress"));
    }

    [Test]
    public async Task Generate_AzurePriorities_WriteWhatTheLibraryWrites()
    {
        ProcessResult result = await Run("generate", "-f", "azure-arm", "-s", "agents", "--first-priority", "300", "--priority-step", "5",
            "--deny-priority", "4000", "--max-addresses-per-rule", "100", "--nsg", "edge-nsg", "--input", V30);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(Library("azure-arm", V30, new AzureNsgOptions
        {
            FirstPriority = 300, PriorityStep = 5, DenyPriority = 4000, MaxAddressesPerRule = 100, NetworkSecurityGroup = "edge-nsg",
        })));
        Assert.That(result.Output, Does.Contain("\"priority\": 300"));
    }

    [Test]
    public async Task Generate_NoInternetDeny_LeavesTheDenyOut()
    {
        ProcessResult without = await Run("generate", "-f", "azure-nsg", "-s", "logs", "--no-internet-deny", "--resource-group", "rg-prod");
        ProcessResult with = await Run("generate", "-f", "azure-nsg", "-s", "logs");

        Assert.That(without.ExitCode, Is.EqualTo(0), without.Error);
        Assert.That(with.Output, Does.Contain("Internet"));
        Assert.That(without.Output, Does.Not.Contain("--destination-address-prefixes Internet"));
        Assert.That(without.Output, Does.Contain("rg-prod"));
    }

    [Test]
    public async Task Generate_AzurePrioritiesPastTheLimit_RefusalNamesTheFlags()
    {
        ProcessResult result = await Run("generate", "-f", "azure-arm", "-s", "agents", "--first-priority", "4000", "--priority-step", "100", "--input", V30);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("lower --first-priority or --priority-step"));
    }

    [Test]
    public async Task Generate_NftablesChainTable_WritesIntoThatTable()
    {
        ProcessResult result = await Run("generate", "-f", "nftables-chain", "-s", "logs", "--table", "edge");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("add chain inet edge datadog-egress\n").And.Not.Contain("inet filter"));
    }

    [Test]
    public async Task Generate_UpdateFrom_WritesTheLibrarysIncrementalUpdate()
    {
        ProcessResult result = await Run("generate", "-f", "nftables", "-s", "logs", "--input", Doc(47), "--update-from", Doc(46));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        RuleSet v46 = RuleSet.For(IpRangesDocument.Load(Doc(46)), Section.Logs);
        RuleSet v47 = RuleSet.For(IpRangesDocument.Load(Doc(47)), Section.Logs);
        Assert.That(result.Output, Is.EqualTo(v47.ToNftablesUpdate(v46)));
        Assert.That(result.Error, Does.StartWith("generate: nftables update for logs"));
    }

    [Test]
    public async Task Generate_UpdateFromWithATableName_UpdatesThatTable()
    {
        ProcessResult result = await Run("generate", "-f", "nftables-chain", "-s", "logs", "--table", "edge", "--input", Doc(47), "--update-from", Doc(46));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        RuleSet v46 = RuleSet.For(IpRangesDocument.Load(Doc(46)), Section.Logs);
        RuleSet v47 = RuleSet.For(IpRangesDocument.Load(Doc(47)), Section.Logs);
        Assert.That(result.Output, Is.EqualTo(v47.ToNftablesUpdate(v46, new NftablesEmitterOptions { Layout = NftablesLayout.ExistingTable, Table = "edge" })));
    }

    [Test]
    public async Task Generate_IpsetUpdateFrom_WritesTheLibrarysIpsetUpdate()
    {
        ProcessResult result = await Run("generate", "-f", "ipset", "-s", "logs", "--name", "edge", "--input", Doc(47), "--update-from", Doc(46));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        RuleSet v46 = RuleSet.For(IpRangesDocument.Load(Doc(46)), Section.Logs);
        RuleSet v47 = RuleSet.For(IpRangesDocument.Load(Doc(47)), Section.Logs);
        Assert.That(result.Output, Is.EqualTo(v47.ToIpsetUpdate(v46, new IptablesEmitterOptions { Name = "edge", UseIpset = true })).And.Contain(" -exist\n"));
        Assert.That(result.Error, Does.StartWith("generate: ipset update for logs"));
    }

    [Test]
    public async Task Generate_IpsetUpdateToNewSets_ExitsOneNamingTheFullOutput()
    {
        // v40 is the first document listing IPv6 prefixes for logs: new sets, which an update cannot create.
        ProcessResult result = await Run("generate", "-f", "ipset", "-s", "logs", "--input", Doc(40), "--update-from", Doc(39));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.Contain("new sets datadog-e443-tcp6").And.Contain("fwrules generate --format ipset"));
    }

    [TestCase("iptables", "--table", "edge", "--table applies to nftables, nftables-chain, nftables-strict, not to iptables")]
    [TestCase("nftables", "--rules-per-group", "10", "--rules-per-group applies to aws-cloudformation, aws-sg, terraform, not to nftables")]
    [TestCase("aws-sg", "--first-priority", "200", "--first-priority applies to azure-arm, azure-nsg, bicep, not to aws-sg")]
    [TestCase("iptables-ipset", "--update-from", "old.json", "--update-from applies to ipset, nftables, nftables-chain, nftables-strict: iptables-ipset has no incremental form")]
    [TestCase("windows", "--max-addresses-per-rule", "2000", "Windows Firewall rules take at most 1000 addresses")]
    [TestCase("nftables", "--table", "1bad", "--table '1bad': use")]
    [TestCase("azure-nsg", "--first-priority", "50", "--first-priority must be between 100 and 4096")]
    [TestCase("aws-sg", "--rules-per-group", "abc", "--rules-per-group must be a whole number (between 1 and 1000), not 'abc'")]
    [TestCase("aws-sg", "--rules-per-group", "99999999999", "--rules-per-group must be a whole number (between 1 and 1000)")]
    public async Task Generate_OptionTheFormatDoesNotRead_ExitsTwoNamingWhatDoes(string format, string option, string value, string message)
    {
        ProcessResult result = await Run("generate", "-f", format, "-s", "logs", option, value);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain(message));
    }

    [TestCase("--base-url", "http://127.0.0.1:1/", "--base-url applies to fetching: add --live")]
    [TestCase("--retries", "2", "--retries applies to fetching: add --live")]
    public async Task Generate_FetchOptionWithoutLive_ExitsTwo(string option, string value, string message)
    {
        ProcessResult result = await Run("generate", "-f", "nftables", "-s", "logs", option, value);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain(message));
    }
}
