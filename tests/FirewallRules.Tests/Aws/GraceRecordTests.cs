using System.Net;
using FirewallRules.Aws;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// The grace record the lists share (<see cref="GraceRecord"/>): after a kill -9 between the lists' change and the record's
/// write, the lists hold entries the record does not name; each goes only to the sections that published it.
/// </summary>
[TestFixture]
[Category("Aws")]
public sealed class GraceRecordTests
{
    private static readonly DateTimeOffset Seen = DateTimeOffset.FromUnixTimeSeconds(1764072000);

    /// <summary>The record's token of <see cref="Seen"/>.</summary>
    private static readonly string At = "@" + Seen.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly IPNetwork LogsPrefix = IPNetwork.Parse("20.0.0.1/32");

    /// <summary>A cache whose vetted documents published every address: the entries the record misses are the last run's.</summary>
    private static readonly PrefixSet Everything = PrefixSet.Parse("0.0.0.0/0\n::/0");

    [Test]
    public void Merge_AnEntryTheRecordMissesAfterAKill_GoesOnlyToTheSectionThatPublishedIt()
    {
        var lastSeen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal)
        {
            ["logs"] = new() { [LogsPrefix] = Seen.AddMinutes(-10) },
            ["api"] = new() { [IPNetwork.Parse("30.0.0.1/32")] = Seen.AddMinutes(-10) },
        };

        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged =
            GraceRecord.Merge(lastSeen, [List(LogsPrefix, IPNetwork.Parse("30.0.0.1/32"))], ["api", "logs"], PrefixSet.Parse("30.0.0.1/32"), Everything);

        Assert.That(merged["logs"][LogsPrefix], Is.EqualTo(Seen), "the lists' seen time is later than this runner's");
        Assert.That(merged["api"].Keys, Is.EquivalentTo(new[] { IPNetwork.Parse("30.0.0.1/32") }), "api never published the logs prefix: its grace must not keep it");
    }

    [Test]
    public void Merge_AnEntryNoRecordKnows_IsKeptWithoutClaimingASection()
    {
        var unknown = IPNetwork.Parse("20.0.0.7/32");
        var lastSeen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal) { ["logs"] = new() { [LogsPrefix] = Seen } };

        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged = GraceRecord.Merge(lastSeen, [List(LogsPrefix, unknown)], ["api", "logs"], PrefixSet.Empty, Everything);

        Assert.That(merged["api"], Is.Empty);
        Assert.That(merged["logs"].Keys, Is.EquivalentTo(new[] { LogsPrefix }));
        Assert.That(merged[GraceRecord.Unclaimed], Is.EquivalentTo(new Dictionary<IPNetwork, DateTimeOffset> { [unknown] = Seen }));
    }

    [Test]
    public void Merge_AnEntryNoVettedDocumentPublished_IsNotKeptAndIsSaidInOneLine()
    {
        var lastSeen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal) { ["logs"] = new() { [LogsPrefix] = Seen } };
        var broken = new List<string>();

        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged = GraceRecord.Merge(
            lastSeen, [List(LogsPrefix, IPNetwork.Parse("20.0.0.7/32"), IPNetwork.Parse("10.0.0.0/8"))], ["logs"], PrefixSet.Empty, PrefixSet.Parse("20.0.0.0/24"), broken);

        Assert.That(merged[GraceRecord.Unclaimed].Keys, Is.EquivalentTo(new[] { IPNetwork.Parse("20.0.0.7/32") }), "only what a vetted document published is kept");
        Assert.That(broken, Is.EqualTo(new[]
        {
            "the prefix lists of datadog-ipv4 (pl-1) hold 10.0.0.0/8 that no vetted document in the cache published for the sections synced and the grace record does not keep " +
            "(added by hand?): not kept, the run removes them",
        }));
    }

    [Test]
    public void Merge_AnUnclaimedPrefixPublishedAgain_LeavesTheUnclaimedRecord()
    {
        var lastSeen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal)
        {
            [GraceRecord.Unclaimed] = new() { [LogsPrefix] = Seen.AddMinutes(-5) },
        };

        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged = GraceRecord.Merge(lastSeen, [List(LogsPrefix)], ["logs"], PrefixSet.Parse("20.0.0.0/24"), Everything);

        Assert.That(merged.Keys, Is.EquivalentTo(new[] { "logs" }));
    }

    [Test]
    public void Merge_APrefixTheRecordLeavesUnclaimedThatThisRunnerSawASectionPublish_IsThatSectionsAtTheLaterTime()
    {
        // Another runner, which never saw the prefix go, recorded it unclaimed; this runner's state knows logs published it.
        var lastSeen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal) { ["logs"] = new() { [LogsPrefix] = Seen.AddMinutes(-5) } };
        OwnedPrefixList list = List(LogsPrefix) with { Tags = Tags(("fwrules:grace-1", "=? " + At + " " + LogsPrefix)) };

        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged = GraceRecord.Merge(lastSeen, [list], ["logs"], PrefixSet.Empty, Everything);

        Assert.That(merged.Keys, Is.EquivalentTo(new[] { "logs" }), "the unclaimed record beat the section's claim");
        Assert.That(merged["logs"][LogsPrefix], Is.EqualTo(Seen));
        Assert.That(GraceRecord.Kept(merged, Seen.AddHours(1), v6: false), Is.EqualTo(new[] { ("logs", LogsPrefix, Seen) }));
    }

    [Test]
    public void Merge_APrefixThisRunnerKeptUnclaimedThatTheRecordGivesASection_IsThatSections()
    {
        var lastSeen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal)
        {
            ["logs"] = [],
            [GraceRecord.Unclaimed] = new() { [LogsPrefix] = Seen },
        };
        OwnedPrefixList list = List(LogsPrefix) with { Tags = Tags(("fwrules:grace-1", "=logs " + At + " " + LogsPrefix)) };

        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged = GraceRecord.Merge(lastSeen, [list], ["logs"], PrefixSet.Empty, Everything);

        Assert.That(merged.Keys, Is.EquivalentTo(new[] { "logs" }), "this runner's unclaimed state beat the record's section");
        Assert.That(GraceRecord.Kept(merged, Seen.AddHours(1), v6: false), Is.EqualTo(new[] { ("logs", LogsPrefix, Seen) }));
    }

    [Test]
    public void Kept_APrefixOneSectionPublishesNow_IsNotRecordedUnderAnother()
    {
        var lastSeen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal)
        {
            ["api"] = new() { [LogsPrefix] = Seen.AddMinutes(-5), [IPNetwork.Parse("30.0.0.1/32")] = Seen.AddMinutes(-1) },
            ["logs"] = new() { [LogsPrefix] = Seen },
        };

        Assert.That(GraceRecord.Kept(lastSeen, Seen, v6: false), Is.EqualTo(new[] { ("api", IPNetwork.Parse("30.0.0.1/32"), Seen.AddMinutes(-1)) }));
    }

    [Test]
    public void WithUnclaimed_KeptPrefixes_JoinOnlyTheRulesAllowingTheirFamily()
    {
        // logs (443 and 10516) publishes no IPv6, api (443) does: 10516 allows no IPv6 prefix.
        IpRangesDocument document = IpRangesDocument.Parse("""
            {"version": 1,
             "logs": {"prefixes_ipv4": ["20.0.0.0/24"], "prefixes_ipv6": []},
             "api": {"prefixes_ipv4": ["30.0.0.0/24"], "prefixes_ipv6": ["2600::/48"]}}
            """);
        RuleSet rules = RuleSet.For(document, ["logs", "api"]);

        RuleSet with = GraceRecord.WithUnclaimed(rules, PrefixSet.Parse("40.0.0.0/24\n2600:1::/48"));

        foreach (FirewallRule rule in with.Rules)
        {
            FirewallRule before = rules.Rules.Single(r => r.Port.Equals(rule.Port) && r.Direction == rule.Direction);
            Assert.That(rule.Prefixes.IPv4, Is.EqualTo(before.Prefixes.IPv4.Union(PrefixSet.Parse("40.0.0.0/24"))), rule.ToString());
            Assert.That(rule.Prefixes.IPv6,
                Is.EqualTo(before.Prefixes.IPv6.IsEmpty ? PrefixSet.Empty : before.Prefixes.IPv6.Union(PrefixSet.Parse("2600:1::/48"))), "a port gains no family");
        }

        Assert.That(with.Rules.Any(r => r.Prefixes.IPv6.IsEmpty), "api's port allows no IPv6 prefix: the case under test");
    }

    [Test]
    public void Overflow_KeptPrefixesOutgrowingTheRecord_AreTheOldestAndTheRestReadBackWithTheirOwnTimes()
    {
        // 800 removed prefixes, last seen a second apart (more than 40 tags of 256 characters can name), and an old IPv6 one.
        Dictionary<IPNetwork, DateTimeOffset> times = SecondApart();
        var v6 = IPNetwork.Parse("2600:1f18::/48");
        var lastSeen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal)
        {
            ["logs"] = new(times) { [v6] = Seen.AddDays(-1) },
        };

        HashSet<IPNetwork> cut = [.. GraceRecord.Overflow(lastSeen, [List()], AddressFamilies.Both, Seen)];
        var rest = times.Where(t => !cut.Contains(t.Key)).ToDictionary();

        Assert.That(cut, Has.Count.InRange(100, 700), "the record names some hundreds, not all 800");
        Assert.That(cut.Max(p => times[p]), Is.LessThan(rest.Values.Min()), "only the oldest are cut");
        Assert.That(cut, Does.Not.Contain(v6), "another family's record has room of its own");
        (List<string> values, List<IPNetwork> left) = GraceRecord.Encode(rest.Select(r => ("logs", r.Key, r.Value)), GraceRecord.MaxTags);
        Assert.That(left, Is.Empty, "what is kept fits the record whole");
        Assert.That(GraceRecord.Encode(times.Where(t => !cut.Contains(t.Key) || times[t.Key] == cut.Max(p => times[p])).Select(r => ("logs", r.Key, r.Value)),
            GraceRecord.MaxTags).Dropped, Is.Not.Empty, "one more would not fit: no more is cut than must be");

        // A runner with no state of its own, reading the lists that hold exactly what was kept, takes each prefix's own time.
        OwnedPrefixList first = List([.. rest.Keys]) with { Tags = Tags([.. values.Select((v, i) => ($"fwrules:grace-{i + 1}", v))]) };
        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged = GraceRecord.Merge(
            new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal), [first], ["logs"], PrefixSet.Empty, Everything);
        Assert.That(merged["logs"], Is.EquivalentTo(rest));
        Assert.That(merged.ContainsKey(GraceRecord.Unclaimed), Is.False);
    }

    [Test]
    public void Merge_AnEntryJoiningRecordedPrefixes_KeepsEachItsRecordedTime()
    {
        // Two kept /32s the record names, held by the list as one /31 (and a published neighbour joined to a third).
        string recent = (Seen.ToUnixTimeSeconds() - 600).ToString(System.Globalization.CultureInfo.InvariantCulture);
        OwnedPrefixList first = List(IPNetwork.Parse("20.0.0.0/31"), IPNetwork.Parse("20.0.0.2/31")) with
        {
            Tags = Tags(("fwrules:grace-1", $"=logs @{recent} 20.0.0.0/32 20.0.0.1/32 20.0.0.3/32")),
        };

        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged = GraceRecord.Merge(
            new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal), [first], ["logs"], PrefixSet.Parse("20.0.0.2/32"), Everything);

        Assert.That(merged["logs"], Is.EquivalentTo(new[] { "20.0.0.0/32", "20.0.0.1/32", "20.0.0.3/32" }
            .ToDictionary(IPNetwork.Parse, _ => Seen.AddSeconds(-600))), "a joined entry is not a prefix the last run published");
        Assert.That(merged.ContainsKey(GraceRecord.Unclaimed), Is.False);
    }

    [Test]
    public void Overflow_OnlyTheFamiliesSynced_AreCut()
    {
        var lastSeen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal)
        {
            ["logs"] = SecondApart(),
        };

        Assert.That(GraceRecord.Overflow(lastSeen, [List()], AddressFamilies.IPv6, Seen), Is.Empty, "no IPv4 list is kept: no IPv4 record to outgrow");
        Assert.That(GraceRecord.Overflow(lastSeen, [List()], AddressFamilies.IPv4, Seen), Is.Not.Empty);
    }

    [Test]
    public void Overflow_AListWithMoreTagsOfItsOwn_LeavesTheRecordLessRoom()
    {
        var lastSeen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal)
        {
            ["logs"] = SecondApart(),
        };
        OwnedPrefixList tagged = List() with { Tags = Tags([.. Enumerable.Range(0, 15).Select(i => ($"team:{i}", "x"))]) };

        Assert.That(GraceRecord.Overflow(lastSeen, [tagged], AddressFamilies.Both, Seen),
            Has.Count.GreaterThan(GraceRecord.Overflow(lastSeen, [List()], AddressFamilies.Both, Seen).Count),
            "15 tags of the user's leave the record 33 of AWS's 50, not 40");
        Assert.That(GraceRecord.Overflow(lastSeen, [], AddressFamilies.Both, Seen), Has.Count.EqualTo(GraceRecord.Overflow(lastSeen, [List()], AddressFamilies.Both, Seen).Count),
            "a first run (no list yet) cuts as the list it makes will hold");
    }

    /// <summary>800 removed IPv4 prefixes, last seen a second apart up to <see cref="Seen"/>: more than the record's 40 tags can name.</summary>
    private static Dictionary<IPNetwork, DateTimeOffset> SecondApart() =>
        Enumerable.Range(0, 800).ToDictionary(i => IPNetwork.Parse($"20.1.{i / 250}.{i % 250}/32"), i => Seen.AddSeconds(-800 + i));

    /// <summary>The first IPv4 list, its entries changed by a run killed before it wrote the record: only the seen tag of the run before.</summary>
    private static OwnedPrefixList List(params IPNetwork[] entries) =>
        new("pl-1", "datadog-ipv4", AddressFamilies.IPv4, 1, 3, 100, entries) { Tags = Tags() };

    /// <summary>The record the run before wrote on pl-1, naming it, with the grace tags among <paramref name="more"/> (in order), and the others.</summary>
    private static Dictionary<string, string> Tags(params (string Key, string Value)[] more)
    {
        string[] grace = [.. more.Where(t => t.Key.StartsWith("fwrules:grace-", StringComparison.Ordinal)).Select(t => t.Value)];
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["fwrules:seen"] = GraceRecordSeal.Seen(Seen, grace, "pl-1", PrefixSet.Empty, null),
            ["fwrules:lists"] = "pl-1" };
        foreach ((string key, string value) in more)
        {
            tags[key] = value;
        }

        return tags;
    }
}
