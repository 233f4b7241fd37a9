using System.Net;
using System.Text.Json.Nodes;
using FirewallRules.Ranges;

namespace FirewallRules.Tests.Ranges;

[TestFixture]
public partial class IpRangesDiffTests
{
    // data/PROVENANCE.md, "Changes between consecutive files": prefixes added/removed per section as listed
    // (both families), new sections, and locations gained (from its counts table: 15, then 16, then 19).
    private static readonly object[] ConsecutiveVersions =
    [
        new object[] { 27, 28, "synthetics +3" },
        new object[] { 28, 29, "synthetics +3" },
        new object[] { 29, 30, "webhooks +3" },
        new object[] { 30, 36, "agents -217; global +1; orchestrator (new) +2; process -36; synthetics [+15 locations]; webhooks +9" },
        new object[] { 36, 38, "agents -216; api -120; orchestrator +1 -1" },
        new object[] { 38, 39, "webhooks +1" },
        new object[] { 39, 40, "agents +1; api +1; apm +1; global +1; logs +2; orchestrator +1 -1; process +1" },
        new object[] { 40, 46, "agents -4; api -2; apm -1; global -1; logs -193; synthetics +8 [+1 locations]; webhooks +12 -9" },
        new object[] { 46, 47, "logs -3" },
        new object[] { 47, 52, "synthetics +9 [+3 locations]; synthetics-private-locations (new) +2; webhooks +3 -6" },
    ];

    [TestCaseSource(nameof(ConsecutiveVersions))]
    public void DiffTo_ConsecutiveRealVersions_ListsTheChangesInProvenance(int from, int to, string expected)
    {
        IpRangesDiff diff = Load(from).DiffTo(Load(to));

        Assert.That(diff.FromVersion, Is.EqualTo(from));
        Assert.That(diff.ToVersion, Is.EqualTo(to));
        Assert.That(string.Join("; ", diff.Sections.Select(Summary)), Is.EqualTo(expected));
        Assert.That(diff.SectionsRemoved, Is.Empty, "no section was ever removed");
    }

    [Test]
    public void DiffTo_V36ToV38_OrchestratorPrefixReplacedByItsSupernet_IsASwapAsListedButOnlyAdditionsAggregated()
    {
        PrefixChange orchestrator = Load(36).DiffTo(Load(38)).Sections.Single(s => s.Name == "orchestrator").IPv4;

        Assert.That(orchestrator.ListedAdded, Is.EqualTo(new[] { IPNetwork.Parse("3.233.144.0/20") }));
        Assert.That(orchestrator.ListedRemoved, Is.EqualTo(new[] { IPNetwork.Parse("3.233.147.160/28") }));
        Assert.That(orchestrator.Removed, Is.Empty, "the /28 lies inside the /20: no address was lost");
        Assert.That(orchestrator.Added, Is.EqualTo(PrefixSet.Parse("3.233.144.0/20").Except(PrefixSet.Parse("3.233.147.160/28"))));
        Assert.That(orchestrator.Added.IPv4AddressCount, Is.EqualTo((UInt128)(4096 - 16)));
    }

    [Test]
    public void DiffTo_PrefixSplitIntoItsHalves_IsAReshuffleWithNoAddressChange()
    {
        byte[] split = DocumentEdits.Edit(52, root =>
        {
            root["logs"]!["prefixes_ipv4"] = new JsonArray("3.233.144.0/21", "3.233.152.0/21");
        });

        IpRangesDiff diff = Load(52).DiffTo(IpRangesDocument.Parse(split));

        PrefixChange logs = diff.Sections.Single().IPv4;
        Assert.That(logs.IsReshuffle, Is.True);
        Assert.That(logs.ListedAdded, Has.Count.EqualTo(2));
        Assert.That(logs.ListedRemoved, Has.Count.EqualTo(1));
        Assert.That(diff.HasChanges, Is.True);
        Assert.That(diff.HasAddressChanges, Is.False);
        Assert.That(diff.ToText(), Does.EndWith("logs\n  IPv4: listed +2 -1; same addresses (the list was reshuffled)\n"));
    }

    [Test]
    public void DiffTo_SameVersionMinifiedAndPretty_HasNoChanges()
    {
        IpRangesDocument pretty = Load(46);
        IpRangesDocument minified = IpRangesDocument.Parse(JsonNode.Parse(pretty.Utf8Json.Span)!.ToJsonString());

        IpRangesDiff diff = pretty.DiffTo(minified);

        Assert.That(diff.HasChanges, Is.False);
        Assert.That(diff.ToText(), Is.EqualTo("ip-ranges version 46 (2021-12-07T10:00:00Z) -> version 46 (2021-12-07T10:00:00Z)\nno change in any section\n"));
    }

    [Test]
    public void DiffTo_NewerToOlder_ReportsTheNewSectionAsRemoved()
    {
        IpRangesDiff diff = Load(52).DiffTo(Load(47));

        Assert.That(diff.SectionsRemoved, Is.EqualTo(new[] { "synthetics-private-locations" }));
        Assert.That(diff.SectionsAdded, Is.Empty);
        Assert.That(diff.Sections.Single(s => s.Name == "synthetics").Locations.Select(l => (l.Location, l.IsRemoved)),
            Is.EqualTo(new[] { ("aws:af-south-1", true), ("aws:ap-east-1", true), ("aws:us-east-1", true) }));
    }

    [Test]
    public void ToText_V46ToV47_ShowsTheAggregatedRemovals()
    {
        Assert.That(Load(46).DiffTo(Load(47)).ToText(), Is.EqualTo("""
            ip-ranges version 46 (2021-12-07T10:00:00Z) -> version 47 (2022-01-25T20:00:00Z)
            logs
              IPv4: listed +0 -3; aggregated +0 -2 prefixes (+0 -384 addresses)
                - 3.230.20.128/25
                - 3.230.124.0/24

            """.ReplaceLineEndings("\n")));
    }

    [TestCase("2600:1f18:24e6:b900::/56", "2600:1f18:24e6:b900::/56\", \"2600:1f18:4000::/36", "+268435456 -0 /64 networks")]
    [TestCase("2600:1f18:24e6:b900::/56", "2600:1f18:24e6:b900::/56\", \"2600:1f18:4000::/124", "+2^4 -0 addresses")]
    [TestCase("2600:1f18:24e6:b900::/56\", \"2600:1f18:4000::/120", "2600:1f18:4000::/120", "+0 -256 /64 networks")]
    public void ToText_IPv6Change_CountsInSlash64NetworksOrPowersOfTwo(string before, string after, string expected)
    {
        static IpRangesDocument Doc(long version, string ipv6) =>
            IpRangesDocument.Parse($$$"""{"version": {{{version}}}, "logs": {"prefixes_ipv4": [], "prefixes_ipv6": ["{{{ipv6}}}"]}}""");

        string text = Doc(1, before).DiffTo(Doc(2, after)).ToText();

        Assert.That(text, Does.Contain($"IPv6: listed ").And.Contain($"prefixes ({expected})\n"));
    }

    [Test]
    public void ToJson_V47ToV52_CarriesSectionsFamiliesListsAndLocations()
    {
        JsonNode json = JsonNode.Parse(Load(47).DiffTo(Load(52)).ToJson())!;

        Assert.That(json["from"]!["version"]!.GetValue<long>(), Is.EqualTo(47));
        Assert.That(json["to"]!["modified"]!.GetValue<string>(), Is.EqualTo("2022-11-14-22-00-00"));
        Assert.That(json["sectionsAdded"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { "synthetics-private-locations" }));
        JsonArray sections = json["sections"]!.AsArray();
        Assert.That(sections.Select(s => $"{s!["name"]}:{s["status"]}"), Is.EqualTo(new[]
        {
            "synthetics:changed", "synthetics-private-locations:added", "webhooks:changed",
        }));
        JsonNode webhooks = sections[2]!["ipv4"]!;
        Assert.That(webhooks["listedAdded"]!.AsArray(), Has.Count.EqualTo(3));
        Assert.That(webhooks["listedRemoved"]!.AsArray(), Has.Count.EqualTo(6));
        Assert.That(webhooks["removed"]!.AsArray().Select(n => n!.GetValue<string>()), Does.Contain("3.85.68.181/32"));
        JsonNode usEast = sections[0]!["locations"]!.AsArray().Single(l => l!["location"]!.GetValue<string>() == "aws:us-east-1")!;
        Assert.That(usEast["status"]!.GetValue<string>(), Is.EqualTo("added"));
        Assert.That(usEast["added"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { "3.92.150.182/32", "52.55.56.26/32", "107.21.25.247/32" }));
    }

    private static IpRangesDocument Load(int version) => IpRangesDocument.Load(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"));

    private static string Summary(IpRangesSectionDiff section)
    {
        int added = section.IPv4.ListedAdded.Count + section.IPv6.ListedAdded.Count;
        int removed = section.IPv4.ListedRemoved.Count + section.IPv6.ListedRemoved.Count;
        int locations = section.Locations.Count(l => l.IsAdded);
        return string.Concat(
            section.Name,
            section.IsAdded ? " (new)" : string.Empty,
            added > 0 ? $" +{added}" : string.Empty,
            removed > 0 ? $" -{removed}" : string.Empty,
            locations > 0 ? $" [+{locations} locations]" : string.Empty);
    }
}
