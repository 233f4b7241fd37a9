using FirewallRules;

// Outside the FirewallRules namespace on purpose: what compiles here is what a script gets with one using.
namespace ScriptUsage;

/// <summary>The design card's lines need nothing but <c>using FirewallRules;</c> (ARCHITECTURE.md).</summary>
[TestFixture]
public class OneUsingTests
{
    [Test]
    public void DesignCard_CompilesAndRunsWithTheRootNamespaceOnly()
    {
        string script = RuleSet.For(Section.Logs).ToIptables();
        IpRangesDocument older = IpRangesDocument.Embedded;
        string nft = RuleSet.For(older, Section.Logs, Section.Apm).ToNftables(new() { Table = "datadog" });
        IpRangesDiff diff = older.DiffTo(older);
        PrefixSet logs = RuleSet.For(Section.Logs).Prefixes;
        IpRangesClient client = IpRangesClient.Create();

        Assert.Multiple(() =>
        {
            Assert.That(script, Does.StartWith("#"));
            Assert.That(nft, Does.Contain("table inet datadog"));
            Assert.That(diff.HasChanges, Is.False);
            Assert.That(logs, Is.Not.Empty);
            Assert.That(Site.EU1.Domain, Is.EqualTo("datadoghq.eu"));
            Assert.That(client, Is.Not.Null);
            Assert.That(RuleSet.All(older, Direction.Ingress).Rules, Is.Not.Empty);
        });
    }
}
