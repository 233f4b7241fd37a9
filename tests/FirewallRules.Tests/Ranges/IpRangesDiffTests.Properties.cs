using FirewallRules.Ranges;

// FsCheck supplies the parameters of [Property] methods; NUnit's analyzer cannot see that.
#pragma warning disable NUnit1027

namespace FirewallRules.Tests.Ranges;

/// <summary>The diff against real documents and random edits of them.</summary>
public partial class IpRangesDiffTests
{
    [FsCheckProperty(Arbitrary = [typeof(DocumentGenerators)], MaxTest = 200)]
    public void DiffTo_AnyTwoDocuments_AppliedToTheOlderGivesTheNewer(DocumentPair pair)
    {
        IpRangesDocument older = IpRangesDocument.Parse(pair.OlderJson);
        IpRangesDocument newer = IpRangesDocument.Parse(pair.NewerJson);

        IpRangesDiff diff = older.DiffTo(newer);

        Assert.That(Apply(older, diff), Is.EqualTo(Describe(newer)));
    }

    [FsCheckProperty(Arbitrary = [typeof(DocumentGenerators)], MaxTest = 50)]
    public void DiffTo_SplitsAndReorders_ChangeNoAddress(ReshuffledDocument reshuffled)
    {
        IpRangesDocument original = IpRangesDocument.Parse(DocumentGenerators.Build(reshuffled.Document, []));
        IpRangesDocument edited = IpRangesDocument.Parse(DocumentGenerators.Build(reshuffled.Document, reshuffled.Edits));

        IpRangesDiff diff = original.DiffTo(edited);

        Assert.That(diff.HasAddressChanges, Is.False, diff.ToText());
        Assert.That(diff.Sections.SelectMany(s => s.Locations), Is.Empty);
    }

    /// <summary>Each section as one line: aggregated prefixes, the distinct listed prefixes, and each location's prefixes.</summary>
    private static string[] Describe(IpRangesDocument document) =>
        [.. document.SectionList.Select(s => Line(
            s.Name, s.Prefixes, s.ListedIPv4.Concat(s.ListedIPv6), s.PrefixesByLocation))
            .Order(StringComparer.Ordinal)];

    /// <summary>The older document with the diff applied, in the same form as <see cref="Describe"/>.</summary>
    private static string[] Apply(IpRangesDocument older, IpRangesDiff diff)
    {
        var sections = older.SectionList.ToDictionary(
            s => s.Name,
            s => (Prefixes: s.Prefixes, Listed: s.ListedIPv4.Concat(s.ListedIPv6).ToHashSet(), Locations: s.PrefixesByLocation.ToDictionary()),
            StringComparer.Ordinal);
        foreach (IpRangesSectionDiff change in diff.Sections)
        {
            if (change.IsRemoved)
            {
                sections.Remove(change.Name);
                continue;
            }

            var (prefixes, listed, locations) = sections.GetValueOrDefault(change.Name, (PrefixSet.Empty, [], []));
            prefixes = prefixes.Except(change.IPv4.Removed).Except(change.IPv6.Removed).Union(change.IPv4.Added).Union(change.IPv6.Added);
            listed.UnionWith(change.IPv4.ListedAdded.Concat(change.IPv6.ListedAdded));
            listed.ExceptWith(change.IPv4.ListedRemoved.Concat(change.IPv6.ListedRemoved));
            foreach (LocationChange location in change.Locations)
            {
                if (location.IsRemoved)
                {
                    locations.Remove(location.Location);
                    continue;
                }

                locations[location.Location] = locations.GetValueOrDefault(location.Location, PrefixSet.Empty).Except(location.Removed).Union(location.Added);
            }

            sections[change.Name] = (prefixes, listed, locations);
        }

        return [.. sections.Select(s => Line(s.Key, s.Value.Prefixes, s.Value.Listed, s.Value.Locations)).Order(StringComparer.Ordinal)];
    }

    private static string Line(string name, PrefixSet prefixes, IEnumerable<System.Net.IPNetwork> listed, IEnumerable<KeyValuePair<string, PrefixSet>> locations) =>
        $"{name}: {string.Join(" ", prefixes)} | listed {string.Join(" ", listed.Distinct().Select(p => p.ToString()).Order(StringComparer.Ordinal))}"
        + $" | {string.Join(" ", locations.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=[{string.Join(" ", l.Value)}]"))}";
}
