using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.Aws;

/// <summary>
/// Which lists tagged with a name are fwrules' own: anyone allowed to tag resources can put fwrules' tags on any list (their own, or
/// another team's), and a list taken for fwrules' would have its entries merged into the name's lists and be deleted. A list is
/// fwrules' when the sealed grace record of its family (<see cref="GraceRecordSeal"/>) names its id; one it does not name (made by an
/// older build, or by a run stopped before its record) is taken only when it bears the name fwrules gives its part and, when a whole
/// record names the family's lists, holds nothing beyond what is published, what the record keeps and what this runner's own state
/// keeps. Either way it widens nothing: only the lists a record names vouch for entries beyond those.
/// </summary>
internal static class PrefixListVouch
{
    /// <summary>Refuses, before any change, a list of <paramref name="read"/> that neither the record names nor may be adopted.</summary>
    /// <param name="read">The lists tagged with <paramref name="name"/>.</param>
    /// <param name="name">The sync's name.</param>
    /// <param name="published">What the sections publish now.</param>
    /// <param name="kept">This runner's own state: what it keeps in grace, by section.</param>
    /// <exception cref="AwsSyncException">One line naming the list, what it holds beyond, and the fix; nothing was changed.</exception>
    public static void Check(IReadOnlyList<OwnedPrefixList> read, string name, PrefixSet published, IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> kept)
    {
        PrefixSet own = published.Union(PrefixSet.Create(kept.Values.SelectMany(s => s.Keys)));
        foreach (IGrouping<AddressFamilies, OwnedPrefixList> family in read.GroupBy(l => l.Family))
        {
            HashSet<string> named = NamedIds(family);
            OwnedPrefixList holder = RecordHolder(family);
            PrefixSet recorded = PrefixSet.Create(GraceRecord.Decode(GraceRecordSeal.Read(holder.Tags).Grace).Select(r => r.Prefix));
            foreach (OwnedPrefixList list in family.Where(l => !named.Contains(l.Id)))
            {
                PrefixSet beyond = PrefixSet.Create(list.Entries).Except(own.Union(recorded));
                bool usual = list.Name == PrefixListPlanner.ListName(name, list.Family, list.Part);
                // With no whole record naming lists (an older build's, or one broken by hand) the name alone is taken: its entries
                // vouch for nothing there (GraceRecord.Merge), so the list is planned to hold exactly what is published and kept.
                if (!usual || (named.Count > 0 && !beyond.IsEmpty))
                {
                    throw Refusal(list, name, holder, usual ? $"holds {beyond.First()} beyond what fwrules publishes and keeps" : "is not named as fwrules names its lists",
                        "whose entries a sync would merge into fwrules' lists before deleting it");
                }
            }
        }
    }

    /// <summary>
    /// Refuses, before any change, a removal that would delete a list of <paramref name="read"/> fwrules cannot vouch for: one the
    /// sealed record of its family does not name, unless no record of the family names lists and it bears the name fwrules gives its part.
    /// </summary>
    /// <exception cref="AwsSyncException">One line naming the list and the fix; nothing was changed.</exception>
    public static void CheckRemovable(IReadOnlyList<OwnedPrefixList> read, string name)
    {
        foreach (IGrouping<AddressFamilies, OwnedPrefixList> family in read.GroupBy(l => l.Family))
        {
            HashSet<string> named = NamedIds(family);
            OwnedPrefixList holder = RecordHolder(family);
            foreach (OwnedPrefixList list in family.Where(l => !named.Contains(l.Id)))
            {
                bool usual = list.Name == PrefixListPlanner.ListName(name, list.Family, list.Part);
                if (!usual || named.Count > 0)
                {
                    throw Refusal(list, name, holder, usual ? "is not among the lists it names" : "is not named as fwrules names its lists",
                        "which a removal would delete");
                }
            }
        }
    }

    /// <summary>The list ids a family's sealed records name, each record counting only when it names the list that carries it.</summary>
    private static HashSet<string> NamedIds(IEnumerable<OwnedPrefixList> family) =>
        [.. family.SelectMany(l => GraceRecordSeal.Lists(l.Tags) is { } ids && ids.Contains(l.Id) ? ids : (IEnumerable<string>)[])];

    /// <summary>The list of <paramref name="family"/> whose tags carry its grace record: the first of part 1, one whose record names it first.</summary>
    public static OwnedPrefixList RecordHolder(IEnumerable<OwnedPrefixList> family) =>
        family.OrderBy(l => l.Part).ThenBy(l => GraceRecordSeal.Lists(l.Tags) is { } ids && ids.Contains(l.Id) ? 0 : 1).First();

    /// <summary>Whether the sealed record of the list's family, on <paramref name="holder"/>, names <paramref name="list"/>.</summary>
    public static bool Named(OwnedPrefixList holder, OwnedPrefixList list) => GraceRecordSeal.Lists(holder.Tags)?.Contains(list.Id) == true;

    private static AwsSyncException Refusal(OwnedPrefixList list, string name, OwnedPrefixList holder, string why, string harm)
    {
        string id = list.Id;
        return new AwsSyncException($"prefix list {PrefixListReader.Shown(list.Name)} ({id}) is tagged {AwsTags.ManagedBy}={AwsTags.ManagedByValue} " +
            $"{AwsTags.Name}={name}, but the grace record on {PrefixListReader.Shown(holder.Name)} ({holder.Id}) does not name it as a list fwrules made " +
            $"and it {why}: it may be another's list tagged by hand, " +
            $"{harm}; if it is not fwrules', take the tags off (aws ec2 delete-tags " +
            $"--resources {id} --tags Key={AwsTags.ManagedBy} Key={AwsTags.Name}), if it is, delete it (aws ec2 delete-managed-prefix-list " +
            $"--prefix-list-id {id}) and sync again; the account was left as it was");
    }
}
