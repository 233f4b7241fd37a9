using System.Globalization;
using FirewallRules.Aws;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// What an account sync says when, read back after each of its attempts, the account still differs from what it should
/// hold: what is left, and only the cause the reads show (the same difference every time is a change AWS took without
/// an error and did not keep; a difference that moves is someone else changing the account at once).
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

    /// <summary>The error's one line, from what was left after each attempt (<paramref name="left"/>, in order).</summary>
    public static string Message(string listName, bool withGroups, IReadOnlyList<string> left)
    {
        string what = withGroups ? "prefix lists and security groups" : "prefix lists";
        string last = left[^1];
        return left.Distinct(StringComparer.Ordinal).Count() == 1
            ? string.Create(CultureInfo.InvariantCulture, $"the {what} of {listName} still differ from the plan after each of {left.Count} attempts, "
                + $"the same way every time ({last}): "
                + $"AWS took the calls without an error and did not keep that change, or something undoes it at once; "
                + $"the rest of the account holds the new rules; run again, and if the same difference is read back, change it by hand")
            : string.Create(CultureInfo.InvariantCulture, $"the {what} of {listName} were changed by someone else between this run's attempts "
                + $"({left.Count}, read back after each, the difference moved; last: {last}): another run at once or a hand edit; "
                + $"the account holds a mix of both changes; run again once the other run has ended");
    }

    private static string List(AwsPrefixListChange list) => list.Action switch
    {
        AwsListAction.Modified when list.Added.Count + list.Removed.Count == 0 => Text($"{list.Name}: its size to be {list.MaxEntries}"),
        AwsListAction.Modified => Text($"{list.Name}: {list.Added.Count} entries to add, {list.Removed.Count} to remove"),
        AwsListAction.Created => Text($"{list.Name}: to be created"),
        _ => Text($"{list.Name}: to be deleted"),
    };

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
