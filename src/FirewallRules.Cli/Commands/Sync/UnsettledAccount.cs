using System.Globalization;
using FirewallRules.Aws;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// What an account sync says when, read back after each of its attempts, the account still differs from what it should
/// hold: what is left, and only the cause the reads show (a list moved past the version this run's change made, or a
/// difference that moves, is someone else changing the account at once; the same difference every time with no other
/// writer is a change AWS took without an error and did not keep).
/// </summary>
internal static class UnsettledAccount
{
    /// <summary>What is left to do, read back: each list or group that still differs, and how.</summary>
    public static string Describe(AwsPrefixListReport lists, AwsSecurityGroupReport? groups)
    {
        IEnumerable<string> listsLeft = lists.Lists.Where(l => l.Action != AwsListAction.Unchanged).Select(List);
        IEnumerable<string> groupsLeft = (groups?.Groups ?? []).Where(g => g.Added.Count + g.Removed.Count > 0)
            .Select(g => Text($"{g.GroupId}: {g.Added.Count} rules to authorize, {g.Removed.Count} to revoke"));
        return string.Join("; ", listsLeft.Concat(groupsLeft));
    }

    /// <summary>
    /// True when, between this run's change (<paramref name="applied"/>, each list at the version the change left it) and
    /// the read-back (<paramref name="readBack"/>), a list moved past that version, appeared, or went: another writer.
    /// </summary>
    public static bool OtherWriter(AwsPrefixListReport applied, AwsPrefixListReport readBack)
    {
        Dictionary<string, long> left = applied.Lists.Where(l => l.Id is not null && l.Action != AwsListAction.Deleted)
            .GroupBy(l => l.Id!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(l => l.Version), StringComparer.Ordinal);
        HashSet<string> names = [.. applied.Lists.Where(l => l.Action != AwsListAction.Deleted).Select(l => l.Name)];
        return readBack.Lists.Any(l => l.Id is { } id
            ? !left.TryGetValue(id, out long version) || l.Version > version
            : names.Contains(l.Name));
    }

    /// <summary>How to resize by hand each list whose size is what is left, and what a size not kept costs; empty when none is.</summary>
    public static string Resizes(AwsPrefixListReport lists)
    {
        List<AwsPrefixListChange> resizes = [.. lists.Lists.Where(l => l.Action == AwsListAction.Modified && l.Added.Count + l.Removed.Count == 0 && l.Id is not null)];
        return resizes.Count == 0 ? string.Empty
            : "; a list's MaxEntries counts against the rules-per-group quota of each security group referencing it (a larger size costs quota, a smaller one "
                + "refuses entries): resize it by hand with "
                + string.Join(" and ", resizes.Select(l =>
                    Text($"aws ec2 modify-managed-prefix-list --prefix-list-id {l.Id} --current-version {l.Version} --max-entries {l.MaxEntries}")));
    }

    /// <summary>The error's one line, from what was left after each attempt (<paramref name="left"/>, in order).</summary>
    /// <param name="listName">The name the lists and rules are owned under.</param>
    /// <param name="withGroups">True for an aws-sg sync.</param>
    /// <param name="left">What was left after each attempt.</param>
    /// <param name="otherWriter">True when a read-back showed a list moved past the version this run's change made.</param>
    /// <param name="resizes">What <see cref="Resizes"/> says of the last read-back.</param>
    public static string Message(string listName, bool withGroups, IReadOnlyList<string> left, bool otherWriter, string resizes)
    {
        string what = withGroups ? "prefix lists and security groups" : "prefix lists";
        string last = left[^1];
        return !otherWriter && left.Distinct(StringComparer.Ordinal).Count() == 1
            ? string.Create(CultureInfo.InvariantCulture, $"the {what} of {listName} still differ from the plan after each of {left.Count} attempts, "
                + $"the same way every time ({last}), and no other writer changed a list between: "
                + $"AWS took the calls without an error and did not keep that change, or something undoes it at once; "
                + $"the rest of the account holds the new rules; run again, and if the same difference is read back, change it by hand{resizes}")
            : string.Create(CultureInfo.InvariantCulture, $"the {what} of {listName} were changed by someone else between this run's attempts "
                + $"({left.Count}, read back after each: {(otherWriter ? "a list moved past the version this run's change made" : "the difference moved")}"
                + $"; last: {last}): another run at once or a hand edit; "
                + $"{(withGroups ? "the account holds a mix of both changes" : "each list holds one writer's change whole")}; run again once the other run has ended");
    }

    private static string List(AwsPrefixListChange list) => list.Action switch
    {
        AwsListAction.Modified when list.Added.Count + list.Removed.Count == 0 => Text($"{list.Name}: MaxEntries is {list.MaxEntriesRead}, to be {list.MaxEntries}"),
        AwsListAction.Modified => $"{list.Name}: {Wording.Count(list.Added.Count, "entry", "entries")} to add, {Wording.Count(list.Removed.Count, "entry", "entries")} to remove",
        AwsListAction.Created => Text($"{list.Name}: to be created"),
        _ => Text($"{list.Name}: to be deleted"),
    };

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
