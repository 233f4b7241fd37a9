using System.Net;
using FirewallRules.Aws;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// The grace record's seal (<see cref="GraceRecordSeal"/>): a record read back as it was written keeps what it names and vouches for
/// the entries the last run published in the lists it names; one with a tag removed or edited (its lists tag too), or a seen tag that
/// does not read, or a seen tag of a time alone, gives nothing (what it kept counts as expired) and says which list; a whole record vouches
/// for an entry beyond what it records only while the lists hold what it was written with, else only for one a vetted document published.
/// </summary>
[TestFixture]
[Category("Aws")]
public sealed class GraceRecordSealTests
{
    /// <summary>A cache whose vetted documents published every address: what the sealed record decides is the test's alone.</summary>
    private static readonly PrefixSet Everything = PrefixSet.Parse("0.0.0.0/0\n::/0");

    private static readonly DateTimeOffset Seen = DateTimeOffset.FromUnixTimeSeconds(1764072000);
    private static readonly IPNetwork Kept = IPNetwork.Parse("20.0.0.1/32");
    private static readonly IPNetwork LastRun = IPNetwork.Parse("20.0.0.9/32");

    [Test]
    public void Merge_SealedRecordReadBackWhole_KeepsWhatItNamesAndTheEntriesTheLastRunPublished()
    {
        (Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged, List<string> broken) = Merge(Written());

        Assert.That(broken, Is.Empty);
        Assert.That(merged["logs"][Kept], Is.EqualTo(Seen.AddHours(-1)), "the record's own time");
        Assert.That(merged[GraceRecord.Unclaimed][LastRun], Is.EqualTo(Seen), "an entry the record does not name was published by the last run");
    }

    [TestCase("delete", "fwrules:seen names 1 grace tags, and fwrules:grace-1 is missing")]
    [TestCase("edit", "the time in fwrules:seen, the values of fwrules:grace-1 to 1, fwrules:lists or fwrules:name are not those it was written with")]
    [TestCase("later", "the time in fwrules:seen, the values of fwrules:grace-1 to 1, fwrules:lists or fwrules:name are not those it was written with")]
    [TestCase("list", "the time in fwrules:seen, the values of fwrules:grace-1 to 1, fwrules:lists or fwrules:name are not those it was written with")]
    [TestCase("name", "the time in fwrules:seen, the values of fwrules:grace-1 to 1, fwrules:lists or fwrules:name are not those it was written with")]
    [TestCase("garble", "fwrules:seen does not read (1764072000 one)")]
    public void Merge_RecordWithATagRemovedOrEdited_GivesNothingAndSaysWhichList(string how, string why)
    {
        Dictionary<string, string> tags = Written();
        switch (how)
        {
            case "delete":
                tags.Remove("fwrules:grace-1");
                break;
            case "edit":
                tags["fwrules:grace-1"] += " 20.0.0.9/32";
                break;
            case "list":
                // Another list's id added by hand, so that its entries would count as published by the last run.
                tags["fwrules:lists"] += " pl-2";
                break;
            case "name":
                // The list handed to another name's sync: under that name the record would vouch for the list as its own.
                tags["fwrules:name"] = "datadog-b";
                break;
            case "later":
                // The seen time moved ten years on, its count and hash left: every prefix the record keeps would stay for ten more years.
                tags["fwrules:seen"] = $"{Seen.AddYears(10).ToUnixTimeSeconds()} {tags["fwrules:seen"].Split(' ', 2)[1]}";
                break;
            default:
                tags["fwrules:seen"] = "1764072000 one";
                break;
        }

        (Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged, List<string> broken) = Merge(tags);

        Assert.That(broken, Is.EqualTo(new[] { $"the grace record on prefix list datadog-ipv4 (pl-1) is missing or unreadable ({why}): what it kept counts as expired, " +
            "kept only while this machine's own state keeps it; the run writes it anew" }));
        Assert.That(merged["logs"], Is.Empty, "a prefix the broken record named was kept");
        Assert.That(merged.ContainsKey(GraceRecord.Unclaimed), Is.False, "an entry the broken record would have vouched for was kept");
    }

    [Test]
    public void Merge_SeenTagOfATimeAlone_GivesNothing()
    {
        // The form of a build before records were sealed, and what anyone allowed to tag writes with any times: delete the lists tag
        // and the seal, write a bare time beside a grace tag of their own.
        Dictionary<string, string> tags = Written();
        tags.Remove("fwrules:lists");
        tags["fwrules:seen"] = Seen.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        (Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged, List<string> broken) = Merge(tags);

        Assert.That(broken, Has.One.Contains("(fwrules:seen holds a time alone, without the seal a record of this build carries)"));
        Assert.That(merged["logs"], Is.Empty, "a record without its seal kept a prefix");
        Assert.That(merged.ContainsKey(GraceRecord.Unclaimed), Is.False, "a record without its seal vouched for an entry");
    }

    [Test]
    public void Merge_ListsHoldWhatTheRecordWasWrittenWith_KeepAnEntryNoVettedDocumentOfThisCachePublished()
    {
        // Another runner applied a newer document than this one's cache holds, and wrote the record after: its entries are the last run's.
        (Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged, List<string> broken) = Merge(Written(), [Kept, LastRun], PrefixSet.Empty);

        Assert.That(broken, Is.Empty);
        Assert.That(merged[GraceRecord.Unclaimed][LastRun], Is.EqualTo(Seen));
    }

    [Test]
    public void Merge_AnEntryAddedAfterTheRecord_IsKeptOnlyWhereAVettedDocumentPublishedIt()
    {
        IPNetwork byHand = IPNetwork.Parse("10.0.0.0/8");

        (Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged, List<string> broken) =
            Merge(Written(), [Kept, LastRun, byHand], PrefixSet.Parse("20.0.0.0/24"));

        Assert.That(merged[GraceRecord.Unclaimed].Keys, Is.EquivalentTo(new[] { LastRun }), "an entry added by hand was kept as the last run's");
        Assert.That(broken, Is.EqualTo(new[] { "the prefix lists of datadog-ipv4 (pl-1) hold 10.0.0.0/8 that no vetted document in the cache published for the sections synced " +
            "and the grace record does not keep (added by hand?): not kept, the run removes them" }));
    }

    [Test]
    public void Merge_ListsChangedSinceTheRecord_WhatTheRecordedVersionsHeldIsTheLastRuns_AnEntryAddedSinceIsNot()
    {
        IPNetwork byHand = IPNetwork.Parse("10.0.0.0/8");
        var broken = new List<string>();
        OwnedPrefixList list = new("pl-1", "datadog-ipv4", AddressFamilies.IPv4, 1, 4, 100, [Kept, LastRun, byHand])
        {
            Tags = Written(), Recorded = PrefixSet.Create([Kept, LastRun]),
        };

        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged = GraceRecord.Merge(
            new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal), [list], ["logs"], PrefixSet.Empty, PrefixSet.Empty, broken);

        Assert.That(merged[GraceRecord.Unclaimed].Keys, Is.EquivalentTo(new[] { LastRun }), "what the recorded versions held is not all kept, or more is");
        Assert.That(broken.Single(), Does.Contain("hold 10.0.0.0/8 that no vetted document"));
    }

    [TestCase("pl-1@4", "pl-1@4")]
    [TestCase("pl-9@4", null)]
    [TestCase("pl-1@0", null)]
    [TestCase("pl-1@x", null)]
    [TestCase("pl-1", null)]
    [TestCase("", null)]
    public void HeldAt_TheVersionsOfTheListsAWholeRecordNames_AndNothingElse(string held, string? expected)
    {
        Dictionary<string, string> tags = Written();
        tags["fwrules:held"] = held;

        Assert.That(GraceRecordSeal.HeldAt(tags)?.Select(v => $"{v.Id}@{v.Version}").Single(), Is.EqualTo(expected));
        tags["fwrules:name"] = "another";
        Assert.That(GraceRecordSeal.HeldAt(tags), Is.Null, "a record that is not whole named versions");
    }

    [Test]
    public void Merge_AnEntryOfAListTheRecordDoesNotName_IsNotKept()
    {
        Dictionary<string, string> tags = Written();
        var broken = new List<string>();
        OwnedPrefixList first = new("pl-1", "datadog-ipv4", AddressFamilies.IPv4, 1, 3, 100, [Kept]) { Tags = tags };
        OwnedPrefixList tagged = new("pl-9", "team-z", AddressFamilies.IPv4, 2, 1, 10, [LastRun]);

        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged = GraceRecord.Merge(
            new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal), [first, tagged], ["logs"], PrefixSet.Empty, Everything, broken);

        Assert.That(broken, Is.Empty);
        Assert.That(merged["logs"].Keys, Is.EquivalentTo(new[] { Kept }));
        Assert.That(merged.ContainsKey(GraceRecord.Unclaimed), Is.False, "a list given fwrules' tags by hand had its entries kept as the last run's");
    }

    /// <summary>The tags a run writes at <see cref="Seen"/> keeping <see cref="Kept"/> for logs, last seen an hour before, on its list pl-1.</summary>
    private static Dictionary<string, string> Written()
    {
        (List<string> values, _) = GraceRecord.Encode([("logs", Kept, Seen.AddHours(-1))], GraceRecord.MaxTags);
        string seen = GraceRecordSeal.Seen(Seen, values, "pl-1", PrefixSet.Create([Kept, LastRun]), "datadog");
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["fwrules:seen"] = seen, ["fwrules:lists"] = "pl-1", ["fwrules:name"] = "datadog" };
        for (int i = 0; i < values.Count; i++)
        {
            tags[GraceRecordSeal.Key(i + 1)] = values[i];
        }

        return tags;
    }

    private static (Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> Merged, List<string> Broken) Merge(Dictionary<string, string> tags) =>
        Merge(tags, [Kept, LastRun], Everything);

    /// <summary>The record <paramref name="tags"/> on pl-1 holding <paramref name="entries"/>, merged by a runner whose cache vetted <paramref name="vetted"/>.</summary>
    private static (Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> Merged, List<string> Broken) Merge(
        Dictionary<string, string> tags, IPNetwork[] entries, PrefixSet vetted)
    {
        var broken = new List<string>();
        OwnedPrefixList list = new("pl-1", "datadog-ipv4", AddressFamilies.IPv4, 1, 3, 100, entries) { Tags = tags };
        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> merged = GraceRecord.Merge(
            new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal), [list], ["logs"], PrefixSet.Empty, vetted, broken);
        return (merged, broken);
    }
}
