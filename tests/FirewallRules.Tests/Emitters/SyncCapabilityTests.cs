using System.Text.RegularExpressions;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.Rules;
using FirewallRules.Sync;
using FirewallRules.Tests.Architecture;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// Sync as a capability of the format: each format's folder says whether sync loads it into this host's firewall (and
/// with which table and backend) or keeps a cloud account in step, and sync's choices, table check and backend read that.
/// </summary>
[TestFixture]
public partial class SyncCapabilityTests
{
    private static EmitterRegistry Registry => EmitterRegistry.Default;

    [Test]
    public void SyncTargets_HostBackendsThenServerFilesThenCloudTargets_InTheOrderSyncListsThem()
    {
        Assert.That(Registry.SyncTargets.Select(t => (t.Format, t.Capability.IsHost, t.Capability.HasTable, t.Capability.ServerFile is not null)), Is.EqualTo(new[]
        {
            ("nftables", true, true, false), ("nftables-strict", true, true, false), ("nftables-chain", true, true, false), ("iptables-ipset-script", true, false, false),
            ("nginx", true, false, true), ("nginx-geo", true, false, true), ("apache", true, false, true), ("haproxy", true, false, true), ("caddy", true, false, true),
            ("aws-prefix-list", false, false, false), ("aws-sg", false, false, false),
        }));
    }

    [TestCase("nginx", "nginx -t", "systemctl reload nginx")]
    [TestCase("haproxy", "haproxy -c -f /etc/haproxy/haproxy.cfg", "systemctl reload haproxy")]
    public void FirewallBackends_AServersFile_IsKeptWithItsOwnTestAndReload_OrTheOnesGiven(string format, string check, string reload)
    {
        using var work = new TempFiles();
        string output = Path.Combine(work.DirectoryPath, "x.conf");
        SyncSettings settings = Settings(format, null) with { ServerFile = new ServerFileSync(output, null, null, SettingValues.None, string.Empty) };

        IFirewallBackend backend = FirewallBackends.Create(settings, new FirewallTools());

        Assert.That((backend.Target, backend.MayHoldListenerProtection), Is.EqualTo(($"{format} file {output}", false)));
        if (OperatingSystem.IsLinux())
        {
            // /tmp is anyone's to write (01777): another user could put a link where the file goes. Its mode is the system's: the fix is
            // another directory, never chmod go-w /tmp.
            Assert.That(() => FirewallBackends.Create(settings with { ServerFile = settings.ServerFile with { Output = "/tmp/x.conf" } }, new FirewallTools()),
                Throws.InstanceOf<System.Security.SecurityException>().With.Message.StartsWith("refusing /tmp: group and others may write it")
                    .And.Message.EndsWith("it is a directory everyone shares, as /tmp is: choose a directory of its own"));
        }

        Assert.That(Registry.DescribeSync(format)!.ServerFile, Is.EqualTo(new ServerFile(Registry.DescribeSync(format)!.ServerFile!.Output, check, reload)));
        Assert.That(() => FirewallBackends.Create(Settings(format, null), new FirewallTools()), Throws.ArgumentException.With.Message.StartsWith(
            $"{format} keeps a file a server reads: name it"));
    }

    [Test]
    public void DescribeSync_IsTheFormatsOwnDeclaration_NullForAFormatSyncDoesNotTake()
    {
        Assert.That(Registry.DescribeSync("iptables"), Is.Null);
        Assert.That(Registry.DescribeSync("NFTABLES"), Is.Null, "sync's choices are case-sensitive");
        Assert.That(Registry.Describe("aws-sg").Sync, Is.SameAs(Registry.DescribeSync("aws-sg")));
        Assert.That(Registry.DescribeSync("nftables-chain")!.Table, Is.SameAs(Registry.Describe("nftables-chain").Settings.Single()), "sync's table is the format's own setting");
    }

    [TestCase("nftables", null, "table inet edge")]
    [TestCase("nftables-strict", "mine", "table inet mine")]
    [TestCase("nftables-chain", null, "the edge-* sets and chains of table inet filter")]
    [TestCase("iptables-ipset-script", null, "the edge-* ipsets and the edge-egress/-ingress chains")]
    public void FirewallBackends_EachHostTarget_LoadsWithTheBackendItsOptionsName(string format, string? table, string target)
    {
        IFirewallBackend backend = FirewallBackends.Create(Settings(format, table), new FirewallTools());

        Assert.That(backend.Target, Is.EqualTo(target));
        Assert.That(backend, format.StartsWith("nftables", StringComparison.Ordinal) ? Is.TypeOf<NftablesBackend>() : Is.TypeOf<IpsetBackend>());
    }

    [Test]
    public void FirewallBackends_ACloudTargetOrATableWithoutOne_IsRefusedInOneLine()
    {
        Assert.That(() => FirewallBackends.Create(Settings("aws-sg", null), new FirewallTools()), Throws.ArgumentException.With.Message.StartsWith(
            "sync cannot load 'aws-sg': use one of nftables, nftables-strict, nftables-chain, iptables-ipset-script, nginx, nginx-geo, apache, haproxy, caddy"));
        Assert.That(() => FirewallBackends.Create(Settings("iptables-ipset-script", "mine"), new FirewallTools()), Throws.ArgumentException.With.Message.StartsWith(
            "iptables-ipset-script has no table: the table is for the nftables formats"));
    }

    [Test]
    public void CommandLine_SpellsNoSyncTargetAsALiteral()
    {
        // The names come from the formats' folders (the registry, AwsFormats.PrefixListSyncFormat), not from the verb.
        string[] names = [.. Registry.SyncTargets.Select(t => t.Format)];
        string[] literal = [.. SourceCode.Files().Where(f => f.StartsWith("src/FirewallRules.Cli/", StringComparison.Ordinal))
            .SelectMany(f => QuotedWord().Matches(SourceCode.WithoutComments(SourceCode.Read(f)))
                .Select(m => m.Groups[1].Value).Where(names.Contains).Select(name => $"{f}: \"{name}\""))];

        Assert.That(names, Does.Contain(AwsFormats.PrefixListSyncFormat));
        Assert.That(literal, Is.Empty);
    }

    private static SyncSettings Settings(string format, string? table) =>
        new(Site.Parse("us1"), format, [], "edge", table, AddressFamilies.Both, TimeSpan.Zero);

    [GeneratedRegex(@"""([a-z0-9-]+)""")]
    private static partial Regex QuotedWord();
}
