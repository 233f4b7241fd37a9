using System.Globalization;
using Amazon.EC2.Model;
using FirewallRules.Rules;

namespace FirewallRules.Aws;

/// <summary>
/// Refuses a list fwrules made for a name whose identity tags (<c>fwrules:managed-by</c>, <c>fwrules:name</c>, <c>fwrules:family</c>,
/// <c>fwrules:part</c>) someone changed or removed. Anyone allowed to tag can do that, and a list no longer read as the name's (or read as
/// another part) would be left as it is while a second list took its place: the rules that reference it would keep its entries for good.
/// </summary>
/// <remarks>
/// A list is one fwrules made for the name when a whole grace record on one of the name's lists names it (<see cref="GraceRecordSeal"/>),
/// or when it bears the name fwrules gives a part of the name (<c>NAME-ipv4</c>, <c>NAME-ipv4-2</c>; only a change to the list itself,
/// which tag permission does not allow, renames it) and either a whole record of its own names it or it carries the owner tags. A list of
/// that name with none of those (made by another hand) is another's, and is left as it is, unless the runner's own state names it as
/// one the last run left as the name's (stripped of every fwrules tag, and of its record).
/// </remarks>
internal static class PrefixListIdentity
{
    /// <summary>Throws for the first list of <paramref name="every"/> fwrules made for <paramref name="name"/> whose identity tags were changed.</summary>
    /// <param name="every">Every list of the account that is not deleted.</param>
    /// <param name="owned">The lists read as the name's.</param>
    /// <param name="name">The sync's name.</param>
    /// <param name="known">The ids of the lists the runner's own state last left as the name's: a list stripped of every fwrules tag is still one.</param>
    /// <exception cref="AwsSyncException">One line naming the list, the tag and the fix; nothing was changed.</exception>
    public static void Check(IReadOnlyList<ManagedPrefixList> every, IReadOnlyList<OwnedPrefixList> owned, string name, IReadOnlyCollection<string> known)
    {
        HashSet<string> recorded = [.. owned.SelectMany(l => GraceRecordSeal.Lists(l.Tags) is { } ids && ids.Contains(l.Id) ? ids : (IEnumerable<string>)[])];
        foreach (ManagedPrefixList list in every)
        {
            Dictionary<string, string> tags = PrefixListReader.TagsOf(list);
            AddressFamilies family = PrefixListReader.Family(list);
            int? part = Part(list.PrefixListName ?? string.Empty, name, family);
            string? why = recorded.Contains(list.PrefixListId) ? "the grace record on its first list names it"
                : known.Contains(list.PrefixListId) ? "this machine's sync state names it as the name's list"
                : part is null ? null
                : GraceRecordSeal.Lists(tags)?.Contains(list.PrefixListId) == true ? "its name and its own grace record say so"
                : tags.GetValueOrDefault(AwsTags.ManagedBy) == AwsTags.ManagedByValue && tags.GetValueOrDefault(AwsTags.Name) == name ? "its name and its owner tags say so"
                : null;
            if (why is null)
            {
                continue;
            }

            List<(string Key, string Value)> expected =
            [
                (AwsTags.ManagedBy, AwsTags.ManagedByValue), (AwsTags.Name, name), (AwsTags.Family, family.Keyword()),
                (AwsTags.Part, (part ?? 1).ToString(CultureInfo.InvariantCulture)),
            ];
            if (part is null)
            {
                // Named by the record under a name fwrules does not give (not one it made): its part is whatever its tag says.
                expected.RemoveAt(expected.Count - 1);
            }

            if (expected.FirstOrDefault(e => tags.GetValueOrDefault(e.Key) != e.Value) is { Key: not null } edited)
            {
                throw Refusal(list, name, why, edited.Key, tags.GetValueOrDefault(edited.Key), expected);
            }
        }
    }

    /// <summary>The part <paramref name="listName"/> names for the name's family (1 for <c>NAME-ipv4</c>, N for <c>NAME-ipv4-N</c>); null for any other name.</summary>
    private static int? Part(string listName, string name, AddressFamilies family)
    {
        string first = PrefixListPlanner.ListName(name, family, 1);
        if (listName == first)
        {
            return 1;
        }

        return listName.StartsWith(first + "-", StringComparison.Ordinal)
            && int.TryParse(listName.AsSpan(first.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int part) && part > 1
            && PrefixListPlanner.ListName(name, family, part) == listName ? part : null;
    }

    private static AwsSyncException Refusal(ManagedPrefixList list, string name, string why, string key, string? value, List<(string Key, string Value)> expected)
    {
        string id = list.PrefixListId;
        string now = value is null ? $"its tag {key} was removed" : $"its tag {key} is {PrefixListReader.Shown(value)}";
        return new AwsSyncException($"prefix list {PrefixListReader.Shown(list.PrefixListName ?? string.Empty)} ({id}) is one fwrules made for the name {name} ({why}), " +
            $"but {now}: a sync would no longer read it as that list and make another in its place, and the rules that reference it would keep its " +
            $"entries; put the tags back (aws ec2 create-tags --resources {id} --tags {string.Join(' ', expected.Select(e => $"Key={e.Key},Value={e.Value}"))}) " +
            "and sync again; the account was left as it was");
    }
}
