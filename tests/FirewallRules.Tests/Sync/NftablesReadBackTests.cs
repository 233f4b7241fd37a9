using FirewallRules.Emitters.Nftables;
using FirewallRules.Sync;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// What a stopped nftables sync reads back as in force (<see cref="NftablesBackend.InForce"/>), on listings the real nft
/// prints in a throwaway namespace: the rules' comments naming the version are not enough, every set must list the rules'
/// prefixes.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class NftablesReadBackTests
{
    private const string Before = "absent: table inet datadog\n";

    [TestCase(NftablesLayout.OwnTable)]
    [TestCase(NftablesLayout.StrictOwnTable)]
    public void InForce_TableAsLoaded_IsInForce(NftablesLayout layout)
    {
        LinuxTools.Require("nft");
        using var ns = NetworkNamespace.Create();
        (NftablesBackend backend, RuleSet rules) = Load(ns, layout);

        Assert.That(backend.InForce(rules, List(ns), Before), Is.True);
    }

    [TestCase("delete element inet datadog egress-tcp-443-v4 { 3.233.144.0/20 }")]
    [TestCase("add element inet datadog egress-tcp-443-v4 { 198.51.100.0/24 }")]
    [TestCase("flush set inet datadog egress-tcp-443-v6")]
    public void InForce_CommentsNameTheVersionButASetWasChanged_IsNotInForce(string change)
    {
        LinuxTools.Require("nft");
        using var ns = NetworkNamespace.Create();
        (NftablesBackend backend, RuleSet rules) = Load(ns, NftablesLayout.OwnTable);
        ns.ExecWithInput(change + "\n", "nft", "-f", "-").Succeeded();
        string listing = List(ns);

        Assert.That(NetfilterVersions.Named(listing), Is.EqualTo(new long[] { 47 }), "the comments still name the version");
        Assert.That(backend.InForce(rules, listing, Before), Is.False);
    }

    private static (NftablesBackend Backend, RuleSet Rules) Load(NetworkNamespace ns, NftablesLayout layout)
    {
        var options = new NftablesEmitterOptions { Layout = layout };
        RuleSet rules = RuleSet.For(IpRangesDocument.Load(FetchTesting.Document(47)), ["agents", "logs"]);
        ns.ExecWithInput(rules.ToNftables(options), "nft", "-f", "-").Succeeded();
        return (new NftablesBackend(options, new FirewallTools()), rules);
    }

    private static string List(NetworkNamespace ns) => ns.Exec("nft", "-s", "list", "table", "inet", "datadog").Succeeded();
}
