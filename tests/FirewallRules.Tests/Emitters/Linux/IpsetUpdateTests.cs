using System.Net;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Rules;
using FirewallRules.Tests.Cidr;

// FsCheck supplies the parameters of [Property] methods; NUnit's analyzer cannot see that.
#pragma warning disable NUnit1027

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>The ipset incremental update without the kernel: its lines, its refusals, and a model of ipset restore.</summary>
[TestFixture]
public class IpsetUpdateTests
{
    private static readonly RuleSetProvenance Custom = new(null, 7, "2026-01-02-03-04-05", ["custom"], false);
    private static readonly IptablesEmitterOptions NoComments = new() { Comments = false };

    [Test]
    public void ToIpsetUpdate_PrefixesChanged_ChecksFirstThenSwapsInTheWholeSetThenMovesTheVersionMark()
    {
        RuleSet older = Rules(RuleAction.Allow, "192.0.2.0/24", "198.51.100.0/24");
        RuleSet newer = RuleSet.Create(Rules(RuleAction.Allow, "192.0.2.0/25", "198.51.100.0/24", "203.0.113.7/32").Rules, Custom with { Version = 8 });

        string text = newer.ToIpsetUpdate(older, NoComments);

        Assert.That(text, Is.EqualTo(
            "swap datadog-e443-tcp4 datadog-e443-tcp4\n" +
            "create datadog-e443-tcp4 hash:net family inet hashsize 64 maxelem 65536 -exist\n" +
            "del datadog-version 0.0.0.7 -exist\n" +
            "add datadog-version 0.0.0.8 -exist\n" +
            "del datadog-version 0.0.0.8\n" +
            "add datadog-version 0.0.0.7\n" +
            "add datadog-e443-tcp4 198.51.100.0/24 -exist\n" +
            "create datadog-e443-tcp4-tmp hash:net family inet hashsize 64 maxelem 65536 -exist\n" +
            "flush datadog-e443-tcp4-tmp\n" +
            "add datadog-e443-tcp4-tmp 192.0.2.0/25\n" +
            "add datadog-e443-tcp4-tmp 198.51.100.0/24\n" +
            "add datadog-e443-tcp4-tmp 203.0.113.7/32\n" +
            "swap datadog-e443-tcp4-tmp datadog-e443-tcp4\n" +
            "destroy datadog-e443-tcp4-tmp\n" +
            "del datadog-version 0.0.0.7\n" +
            "add datadog-version 0.0.0.8\n"));
    }

    [TestCase(7, null)]
    [TestCase(8, null)]
    [TestCase(6, 4)]
    [TestCase(null, 3)]
    public void ToIpsetUpdate_InTheModel_PassesTheOldOrNewVersionAndStopsOnAnyOtherWithNothingChanged(int? loaded, int? failedLine)
    {
        RuleSet older = Rules(RuleAction.Allow, "192.0.2.0/24", "198.51.100.0/24");
        RuleSet newer = RuleSet.Create(Rules(RuleAction.Allow, "192.0.2.0/25", "198.51.100.0/24").Rules, Custom with { Version = 8 });
        var model = new IpsetModel();
        model.Apply(RuleSet.Create(older.Rules, Custom with { Version = loaded ?? 7 }).ToIpset(NoComments));
        if (loaded is null)
        {
            model.Apply("destroy datadog-version\n");
        }

        Dictionary<string, string[]> before = model.Sets;

        int? failed = model.Apply(newer.ToIpsetUpdate(older, NoComments));

        Assert.That(failed, Is.EqualTo(failedLine));
        Assert.That(model.Sets, failedLine is null ? Is.Not.EqualTo(before) : Is.EqualTo(before));
    }

    [Test]
    public void ToIpsetUpdate_Comments_SayWhatItAssumesAndHowToRecover()
    {
        RuleSet older = Rules(RuleAction.Allow, "192.0.2.0/24", "198.51.100.0/24");
        RuleSet newer = Rules(RuleAction.Allow, "192.0.2.0/25", "198.51.100.0/24", "203.0.113.7/32");

        string text = newer.ToIpsetUpdate(older);

        Assert.That(text, Does.Contain("# datadog-e443-tcp4: 1 prefix out, 2 in (128 addresses fewer, 1 more)\n"));
        Assert.That(text, Does.Contain("# Previous: ip-ranges version 7, modified 2026-01-02T03:04:05Z.\n"));
        Assert.That(text, Does.Contain("the full ipset output of the previous version loaded").And.Contain("(fwrules generate --format ipset)"));
        LinuxGrammar.AssertOnlyKnownLines("ipset-update", text);
    }

    [Test]
    public void ToIpsetUpdate_NewFamily_IsRefusedNamingTheFullOutput()
    {
        RuleSet older = Rules(RuleAction.Allow, "192.0.2.0/24");
        RuleSet newer = Rules(RuleAction.Allow, "192.0.2.0/24", "2001:db8::/32");

        Assert.That(() => newer.ToIpsetUpdate(older), Throws.TypeOf<RuleGenerationException>().With.Message.Contains(
            "changed shape (new sets datadog-e443-tcp6): an update can only change set elements; apply the full ipset output instead (fwrules generate --format ipset"));
    }

    [Test]
    public void ToIpsetUpdate_ActionReversed_IsRefused()
    {
        Assert.That(() => Rules(RuleAction.Deny, "192.0.2.0/24").ToIpsetUpdate(Rules(RuleAction.Allow, "192.0.2.0/24")),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("action changed for datadog-e443-tcp4"));
    }

    [Test]
    public void ToIpsetUpdate_NoPrefixOfASetStays_IsRefusedAsUncheckable()
    {
        RuleSet older = Rules(RuleAction.Allow, "192.0.2.0/24");
        RuleSet newer = Rules(RuleAction.Allow, "192.0.2.0/25");

        Assert.That(() => newer.ToIpsetUpdate(older), Throws.TypeOf<RuleGenerationException>().With.Message.Contains(
            "no prefix of datadog-e443-tcp4 stays as it is, so no line can check the set's family before changing it").And.Message.Contains("--format ipset"));
    }

    [Test]
    public void ToIpsetUpdate_ManyEntriesReplaced_FitsMaxelemBecauseEachSetIsSwappedInWhole()
    {
        // 40,001 entries, 30,000 of them replaced: adding before deleting would peak at 70,001, over maxelem 65,536;
        // the new set is filled under its temporary name instead, never more than 40,001.
        RuleSet older = Rules(RuleAction.Allow, [.. Hosts(10, 40_000), "192.0.2.0/24"]);
        RuleSet newer = Rules(RuleAction.Allow, [.. Hosts(10, 10_000), .. Hosts(11, 30_000), "192.0.2.0/24"]);

        Assert.That(newer.ToIpsetUpdate(older, NoComments), Does.Contain("swap datadog-e443-tcp4-tmp datadog-e443-tcp4\n"));
    }

    [Test]
    public void ToIpsetUpdate_SetNeedsAnotherMaxelem_IsRefused()
    {
        RuleSet older = Rules(RuleAction.Allow, Hosts(10, 70_000));
        RuleSet newer = Rules(RuleAction.Allow, Hosts(10, 60_000));

        Assert.That(() => newer.ToIpsetUpdate(older, NoComments), Throws.TypeOf<RuleGenerationException>().With.Message.Contains(
            "datadog-e443-tcp4 needs maxelem 65536 instead of 131072, which an existing set keeps"));
    }

    [Test]
    public void WriteUpdate_Emitter_WritesWhatToIpsetUpdateReturns()
    {
        RuleSet older = Rules(RuleAction.Allow, "192.0.2.0/24", "198.51.100.0/24");
        RuleSet newer = Rules(RuleAction.Allow, "192.0.2.0/25", "198.51.100.0/24");
        using var writer = new StringWriter();

        new IpsetEmitter(NoComments).WriteUpdate(older, newer, writer);

        Assert.That(writer.ToString(), Is.EqualTo(newer.ToIpsetUpdate(older, NoComments)).And.Contain("swap datadog-e443-tcp4-tmp datadog-e443-tcp4\n"));
    }

    /// <summary>
    /// In the model, the update turns the sets the old full output loaded into exactly those the new full output loads;
    /// a second run changes nothing; an address both versions list is in its set after every line; a refusal happens only
    /// when the model agrees that the sets differ or a changed set keeps none of its prefixes.
    /// </summary>
    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = 300)]
    public void ToIpsetUpdate_AnyTwoVersions_MatchesTheSetDifferenceModel(PrefixListPair pair)
    {
        PrefixSet oldPrefixes = Usable(pair.Left), newPrefixes = Usable(pair.Right);
        if (oldPrefixes.IsEmpty || newPrefixes.IsEmpty)
        {
            return; // an allow-list of nothing is refused before any update (covered by the emitters' tests)
        }

        RuleSet older = Rules(RuleAction.Allow, oldPrefixes), newer = Rules(RuleAction.Allow, newPrefixes);
        string update;
        try
        {
            update = newer.ToIpsetUpdate(older);
        }
        catch (RuleGenerationException)
        {
            bool sameFamilies = oldPrefixes.IPv4.IsEmpty == newPrefixes.IPv4.IsEmpty && oldPrefixes.IPv6.IsEmpty == newPrefixes.IPv6.IsEmpty;
            bool someSetKeepsNothing = new[] { (oldPrefixes.IPv4, newPrefixes.IPv4), (oldPrefixes.IPv6, newPrefixes.IPv6) }
                .Any(f => !f.Item1.Equals(f.Item2) && !f.Item1.ToHashSet().Overlaps(f.Item2));
            Assert.That(!sameFamilies || someSetKeepsNothing, Is.True, "refused although the model can apply it");
            return;
        }

        var model = new IpsetModel();
        Assert.That(model.Apply(older.ToIpset()), Is.Null);
        PrefixSet kept = oldPrefixes.Intersect(newPrefixes);
        Assert.That(model.Apply(update, during => Assert.That(kept.IsSubsetOf(during.Covered("datadog-e443-tcp4").Union(during.Covered("datadog-e443-tcp6"))), Is.True,
            "an address both versions list went missing")), Is.Null);
        var expected = new IpsetModel();
        expected.Apply(newer.ToIpset());

        Assert.That(model.Sets, Is.EqualTo(expected.Sets));
        Assert.That(model.Apply(update), Is.Null, "a second run fails");
        Assert.That(model.Sets, Is.EqualTo(expected.Sets), "a second run changes the sets");
    }

    private static PrefixSet Usable(ModelPrefix[] prefixes) =>
        PrefixSet.Create(prefixes.Where(p => p.Length > 0).Select(p => p.ToNetwork())); // a rule never holds a /0

    private static IEnumerable<string> Hosts(int firstOctet, int count) =>
        Enumerable.Range(0, count).Select(i => $"{firstOctet}.{(i * 2) >> 16 & 255}.{(i * 2) >> 8 & 255}.{(i * 2) & 255}/32");

    private static RuleSet Rules(RuleAction action, params IEnumerable<string> prefixes) =>
        Rules(action, PrefixSet.Create(prefixes.Select(p => IPNetwork.Parse(p))));

    private static RuleSet Rules(RuleAction action, PrefixSet prefixes) =>
        RuleSet.Create([new FirewallRule(Direction.Egress, action, PortRange.Https, prefixes, ["custom"])], Custom);
}
