using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.Aws;

/// <summary>
/// Spreads a family's prefixes over its lists: an entry stays in the list that holds it, new entries fill the lists in
/// order up to the per-list limit, and another list is created only when they are full. A list left with nothing is
/// deleted, never emptied; so is a second list of one part (one name), its entries moved to a list of a new part first.
/// </summary>
/// <remarks>
/// A rule referencing a list costs its <c>MaxEntries</c> against the rules-per-group quota, not its entry count, so a
/// list is sized with a little headroom (a tenth, at least 5) rather than at the limit: it grows when the entries
/// outgrow it and shrinks when it has more than twice the headroom spare.
/// </remarks>
internal static class PrefixListPlanner
{
    /// <summary>The lists of one family.</summary>
    public static IReadOnlyList<PrefixListPlan> Plan(
        string name, AddressFamilies family, IReadOnlyList<IPNetwork> desired, IReadOnlyList<OwnedPrefixList> owned, int perList)
    {
        var wanted = new HashSet<IPNetwork>(desired);
        var placed = new HashSet<IPNetwork>();
        var keep = new List<(OwnedPrefixList List, List<IPNetwork> Kept, bool Second)>();
        // Repacked when a shrink leaves more lists than the entries need: the last lists are emptied into the first ones'
        // room and deleted, after the entries are in their new lists (deletes go last), so no entry is ever missing.
        int needed = (desired.Count + perList - 1) / perList;
        int index = 0;
        var parts = new HashSet<int>();
        foreach (OwnedPrefixList list in owned.OrderBy(l => l.Part).ThenBy(l => l.Id, StringComparer.Ordinal))
        {
            // An entry in two lists (a hand edit) is kept in the first only; the other list is emptied and deleted. A second
            // list of one part (two runs at once created it) is never kept, so two lists of one name never settle: its
            // entries go to a list of a part of its own, created first, and it is deleted.
            bool second = !parts.Add(list.Part);
            keep.Add((list, !second && index++ < needed ? [.. list.Entries.Where(e => wanted.Contains(e) && placed.Add(e))] : [], second));
        }

        var fresh = new Queue<IPNetwork>(desired.Where(p => !placed.Contains(p)));
        var plans = new List<PrefixListPlan>();
        int filled = 0;
        foreach ((OwnedPrefixList list, List<IPNetwork> kept, bool second) in keep)
        {
            IPNetwork[] add = !second && filled++ < needed ? Take(fresh, perList - kept.Count) : [];
            IPNetwork[] remove = [.. list.Entries.Except(kept)];
            int count = kept.Count + add.Length;
            plans.Add(new PrefixListPlan(list.Name, family, list.Part, list, add, remove, Resize(list.MaxEntries, count, perList)));
        }

        int part = owned.Count == 0 ? 0 : owned.Max(l => l.Part);
        while (fresh.Count > 0)
        {
            part++;
            IPNetwork[] add = Take(fresh, perList);
            plans.Add(new PrefixListPlan(ListName(name, family, part), family, part, null, add, [], Sized(add.Length, perList)));
        }

        return plans;
    }

    /// <summary>The name of a family's list: <c>NAME-ipv4</c>, then <c>NAME-ipv4-2</c>, ...</summary>
    public static string ListName(string name, AddressFamilies family, int part) =>
        part == 1 ? $"{name}-{family.Keyword()}" : $"{name}-{family.Keyword()}-{part}";

    /// <summary>The size for <paramref name="count"/> entries: with headroom, within the limit.</summary>
    public static int Sized(int count, int limit) => Math.Min(limit, count + Headroom(count));

    private static int Headroom(int count) => Math.Max(5, (count + 9) / 10);

    // Grows only when outgrown, shrinks only when far too large, so a list's size (and the quota it costs) rarely moves.
    private static int Resize(int current, int count, int limit) =>
        count > current || current > Math.Min(limit, count + (2 * Headroom(count))) ? Sized(count, limit) : current;

    private static IPNetwork[] Take(Queue<IPNetwork> queue, int most)
    {
        var taken = new List<IPNetwork>();
        while (taken.Count < most && queue.Count > 0)
        {
            taken.Add(queue.Dequeue());
        }

        return [.. taken];
    }
}
