using System.Text.Json;
using FirewallRules.Emitters;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// The ipset injection, replayed against the real tools in a throwaway namespace: a <c>modified</c> text of
/// printable ASCII sized so that <c>ipset restore</c>'s 1024-byte line reads split it into commands. Whether it comes
/// from a document (through <c>fwrules generate | ipset restore</c>) or from a hand-built provenance, the output
/// loads, and the namespace's own sets are exactly as they were. The same text through every Linux format loads or
/// passes the tool's check.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class IpsetInjectionTests
{
    private const int IpsetLineBytes = 1023;

    private static readonly string[] ForeignSetNames = ["blocklist", "blocklist-allow"];

    private static readonly string[] InjectedCommands = ["create canary hash:ip -exist", "flush blocklist", "add blocklist-allow 0.0.0.0/1"];

    private NetworkNamespace? _ns;

    private NetworkNamespace Ns => _ns ?? throw new InvalidOperationException("no namespace");

    /// <summary>
    /// 974 <c>x</c>, which with the header's <c>modified</c> line fill the first 1023 bytes, then three commands each
    /// padded to a whole read of <c>ipset restore</c>: as the tool was found to read it, each starts a line.
    /// </summary>
    private static string InjectingModified { get; } = new string('x', 974)
        + string.Concat(InjectedCommands.Select(c => c.PadRight(IpsetLineBytes)));

    [OneTimeSetUp]
    public void CreateNamespace()
    {
        LinuxTools.Require("ip", "ipset", "iptables-restore", "ip6tables-restore", "nft");
        _ns = NetworkNamespace.Create();
    }

    [OneTimeTearDown]
    public void DeleteNamespace() => _ns?.Dispose();

    [SetUp]
    public void ForeignSets()
    {
        Ns.Exec("ipset", "destroy").Succeeded();
        Ns.ExecWithInput("create blocklist hash:net\nadd blocklist 198.51.100.0/24\ncreate blocklist-allow hash:net\n", "ipset", "restore").Succeeded();
    }

    [Test]
    public async Task GenerateIpset_InjectingModifiedInTheDocument_LeavesForeignSetsAlone()
    {
        string document = Path.Combine(Path.GetTempPath(), $"fwrules-injection-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(document, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["version"] = 61,
            ["modified"] = InjectingModified,
            ["logs"] = new Dictionary<string, string[]> { ["prefixes_ipv4"] = ["3.233.144.0/20"], ["prefixes_ipv6"] = ["2600:1f18:24e6:b900::/56"] },
        }));
        try
        {
            ProcessResult generated = await FwrulesProcess.RunAsync(null, "generate", "--format", "ipset", "--section", "logs", "--input", document);
            Assert.That(generated.ExitCode, Is.EqualTo(0), generated.Error);

            AssertLoadsAndLeavesForeignSetsAlone(generated.Output);
        }
        finally
        {
            File.Delete(document);
        }
    }

    [Test]
    public void RenderIpset_InjectingHandBuiltProvenance_LeavesForeignSetsAlone()
    {
        AssertLoadsAndLeavesForeignSetsAlone(Injecting().Render(EmitterRegistry.Default.Create("ipset")));
    }

    [TestCase("iptables", "iptables-restore")]
    [TestCase("ip6tables", "ip6tables-restore")]
    [TestCase("iptables-ipset", "iptables-restore")]
    [TestCase("ip6tables-ipset", "ip6tables-restore")]
    public void RenderIptables_InjectingHandBuiltProvenance_PassesTheRestoreCheck(string format, string tool)
    {
        if (format.EndsWith("-ipset", StringComparison.Ordinal))
        {
            // The rules name the output's sets, which iptables-restore --test looks up.
            Ns.ExecWithInput(Injecting().Render(EmitterRegistry.Default.Create("ipset")), "ipset", "restore", "-exist").Succeeded();
        }

        Ns.ExecOnFile(Injecting().Render(EmitterRegistry.Default.Create(format)), tool, "-w", "--test", "--noflush").Succeeded();
    }

    [TestCase("nftables")]
    [TestCase("nftables-strict")]
    [TestCase("nftables-chain")]
    public void RenderNftables_MegabyteOfHandBuiltProvenance_PassesTheCheck(string format)
    {
        // Unbounded, a megabyte of header made nft -c take over five minutes; bounded, it is a few short comments.
        string megabyte = string.Concat(Enumerable.Repeat(InjectingModified, 1024 * 1024 / InjectingModified.Length));
        string output = Injecting(megabyte).Render(EmitterRegistry.Default.Create(format));

        Assert.That(output, Has.Length.LessThan(64 * 1024), "the header stays a few bounded lines");
        Ns.Exec("nft", "flush", "ruleset").Succeeded();
        if (format == "nftables-chain")
        {
            // This layout adds its chain to the user's own table.
            Ns.Exec("nft", "add", "table", "inet", "filter").Succeeded();
        }

        Ns.ExecOnFile(output, "nft", "-c", "-f").Succeeded();
    }

    private static RuleSet Injecting(string? text = null)
    {
        var rule = new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("3.233.144.0/20\n2600:1f18:24e6:b900::/56"), ["webhooks"]);
        return RuleSet.Create([rule], new RuleSetProvenance(null, 61, text ?? InjectingModified, [text ?? InjectingModified, "webhooks"], IsEmbeddedSnapshot: false));
    }

    private void AssertLoadsAndLeavesForeignSetsAlone(string output)
    {
        string[] before = ForeignSetsSaved();

        Ns.ExecWithInput(output, "ipset", "restore").Succeeded();

        Assert.That(ForeignSetsSaved(), Is.EqualTo(before), "blocklist and blocklist-allow exactly as they were");
        Assert.That(Ns.Exec("ipset", "list", "-n").Succeeded().Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Has.None.EqualTo("canary").And.All.Matches<string>(name =>
                name.StartsWith("blocklist", StringComparison.Ordinal) || name.StartsWith("datadog", StringComparison.Ordinal)),
            "only the foreign sets and the output's own");
    }

    private string[] ForeignSetsSaved() =>
        ForeignSetNames.Select(set => Ns.Exec("ipset", "save", set).Succeeded()).ToArray();
}
