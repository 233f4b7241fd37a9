using System.Globalization;
using System.Net;
using Amazon.EC2;
using FirewallRules.Aws;
using FirewallRules.Rules;

namespace FirewallRules.Cli.Commands;

/// <summary>An account sync stopped by SIGTERM or SIGINT, with what follows "stopped by SIGNAL" in its one line: what the account holds.</summary>
internal sealed class AccountStoppedException(string holds, Exception inner) : OperationCanceledException(holds, inner)
{
    /// <summary>What the account holds, read again (or, stopped before any change, that nothing was changed).</summary>
    public string Holds { get; } = holds;
}

/// <summary>
/// What a stopped account sync says of its prefix lists, read again after the stop as host sync reads its firewall back:
/// each list's version and entry count, and whether those are its old entries, the new ones, or part of the change.
/// </summary>
internal static class StoppedAccount
{
    /// <summary>A stop before the run's first change: nothing in the account was changed.</summary>
    public static string BeforeAnyChange(bool lists, bool groups) =>
        $" before any change: no {(lists && groups ? "prefix list or security group" : lists ? "prefix list" : "security group")} was changed; " +
        "the account was left as it was";

    /// <summary>
    /// The lists under <paramref name="name"/> read again, each compared with <paramref name="read"/> (as this run read them
    /// before its change) and with what the plan from that read makes of them for <paramref name="wanted"/>.
    /// </summary>
    public static async Task<string> ReadAgainAsync(
        IAmazonEC2 ec2, string name, IReadOnlyList<OwnedPrefixList> read, PrefixSet wanted, AddressFamilies families, int perList, long version)
    {
        IReadOnlyList<OwnedPrefixList> now;
        try
        {
            now = await ReadBackAsync(token => PrefixListReader.ReadAsync(ec2, name, token)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsSyncException or OperationCanceledException)
        {
            return $"; reading the prefix lists again failed ({Why(ex)}): each holds its old entries or its new ones (one changed part-way was put back)";
        }

        Dictionary<string, HashSet<IPNetwork>> planned = Planned(name, read, wanted, families, perList);
        string newVersion = version.ToString(CultureInfo.InvariantCulture);
        var lists = now.Select(l => Describe(l, read.FirstOrDefault(r => r.Id == l.Id), planned.GetValueOrDefault(l.Name), newVersion)).ToList();
        lists.AddRange(read.Where(r => now.All(l => l.Id != r.Id)).Select(r => $"{r.Name} ({r.Id}) is deleted, as ip-ranges version {newVersion} needs"));
        bool unchanged = now.Count == read.Count && now.All(l => read.Any(r => r.Id == l.Id && r.Version == l.Version));
        return unchanged
            ? $"; read again, no prefix list was changed: {(lists.Count == 0 ? "there is none" : string.Join("; ", lists))}"
            : $"; read again, {string.Join("; ", lists)}";
    }

    /// <summary>The end of every stopped run's line after a change began.</summary>
    public const string Next = "; the next run finishes the change";

    /// <summary>How long the read-back after a stop may take in all, over its attempts.</summary>
    private static readonly TimeSpan ReadBackTime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The security groups read again, each compared with the plan this run made before its change (<paramref name="plan"/>,
    /// a dry run's report): whether each holds its old rules, the new ones, its old and new ones, or something else. A rule is
    /// owned by its tags only when it references one of fwrules' own lists: <paramref name="read"/> (as the run checked them before its
    /// change) or one the plan references (created by the run).
    /// </summary>
    public static async Task<string> GroupsAgainAsync(
        IAmazonEC2 ec2, AwsSecurityGroupSyncOptions options, string listName, IReadOnlyList<string> read, AwsSecurityGroupReport? plan)
    {
        if (plan is null || plan.Groups.Count == 0)
        {
            return "; no security group was changed (the stop came before their change began)";
        }

        IReadOnlyList<GroupState> now;
        try
        {
            plan = await WithNewListsAsync(ec2, listName, plan).ConfigureAwait(false);
            string[] own = [.. read.Union(plan.Groups.SelectMany(g => g.Added.Concat(g.Removed)).Where(r => r.IsPrefixList).Select(r => r.Target))];
            var groups = new AwsSecurityGroupSync(ec2, options with { GroupIds = [.. plan.Groups.Select(g => g.GroupId)] });
            now = await ReadBackAsync(token => groups.ReadGroupsAsync(own, token)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsSyncException or OperationCanceledException)
        {
            return $"; reading the security groups again failed ({Why(ex)}): each holds its old rules, or its old and new ones (never fewer)";
        }

        return "; security groups read again: " + string.Join("; ", plan.Groups.Select(change =>
            now.FirstOrDefault(g => g.GroupId == change.GroupId) is { } group ? Describe(change, group) : $"security group {change.GroupId} is gone"));
    }

    /// <summary>
    /// What a failure while stopping (putting a list back) says, without its own reading of the list, which knows neither
    /// the new document nor the groups: the account is read back after it. The failure comes as data
    /// (<see cref="AwsSyncException.Failure"/>); an exception without it is named by its whole message.
    /// </summary>
    public static string FailedWhileStopping(AwsSyncException failure) => "; " + (failure.Failure ?? failure.Message);

    /// <summary>
    /// The plan with each rule that references a list created in this run (named <c>(new list NAME)</c> when the plan was
    /// made) given that list's id, read back by its name: the rules read back reference the id.
    /// </summary>
    private static async Task<AwsSecurityGroupReport> WithNewListsAsync(IAmazonEC2 ec2, string listName, AwsSecurityGroupReport plan)
    {
        if (!plan.Groups.Any(g => g.Added.Concat(g.Removed).Any(r => SecurityGroupPlanner.IsNewListTarget(r.Target))))
        {
            return plan;
        }

        IReadOnlyList<OwnedPrefixList> lists = await ReadBackAsync(token => PrefixListReader.ReadAsync(ec2, listName, token)).ConfigureAwait(false);
        var ids = lists.GroupBy(l => SecurityGroupPlanner.NewListTarget(l.Name), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        AwsSecurityGroupRule Resolved(AwsSecurityGroupRule rule) => ids.TryGetValue(rule.Target, out string? id) ? rule with { Target = id } : rule;
        return plan with
        {
            Groups = [.. plan.Groups.Select(g => g with { Added = [.. g.Added.Select(Resolved)], Removed = [.. g.Removed.Select(Resolved)] })],
        };
    }

    /// <summary>What <paramref name="group"/> holds against the change planned for it: old, new, old and new, or other.</summary>
    internal static string Describe(AwsSecurityGroupChange change, GroupState group)
    {
        var owned = group.Rules.Where(r => r.Owned).Select(r => r.Rule).ToHashSet();
        int old = change.Owned + change.Removed.Count - change.Added.Count;
        int added = change.Added.Count(owned.Contains);
        int kept = change.Removed.Count(owned.Contains);
        string holds = $"security group {change.GroupId} holds {Wording.Count(owned.Count, "owned rule", "owned rules")}";
        if (change.Added.Count + change.Removed.Count == 0 && owned.Count == change.Owned)
        {
            return $"{holds}, as before this run: it needed no change";
        }

        if (added == 0 && kept == change.Removed.Count && owned.Count == old)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{holds}: its old rules (none of the {change.Added.Count} new added)");
        }

        if (added == change.Added.Count && kept == 0 && owned.Count == change.Owned)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{holds}: the new rules ({added} added, {change.Removed.Count} revoked)");
        }

        return added == change.Added.Count && kept == change.Removed.Count && owned.Count == old + added
            ? string.Create(CultureInfo.InvariantCulture, $"{holds}: its old rules and the new ones ({added} added, the {kept} no longer wanted not yet revoked; nothing was cut)")
            : string.Create(CultureInfo.InvariantCulture,
                $"{holds}: other than planned ({added} of the {change.Added.Count} new rules, {kept} of the {change.Removed.Count} to revoke; " +
                    $"{old} before this run, {change.Owned} planned: another run or a hand edit changed it too)");
    }

    /// <summary>
    /// A read after the stop: within <see cref="ReadBackTime"/> in all, made again (three times at most) when AWS fails it
    /// (throttled, unavailable): the line says what the account holds, not that one read failed.
    /// </summary>
    private static async Task<T> ReadBackAsync<T>(Func<CancellationToken, Task<T>> read)
    {
        using var timeout = new CancellationTokenSource(ReadBackTime);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await read(timeout.Token).ConfigureAwait(false);
            }
            catch (AwsSyncException) when (attempt < 3 && !timeout.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), timeout.Token).ConfigureAwait(false);
            }
        }
    }

    private static string Why(Exception ex) =>
        ex is AwsSyncException ? ex.Message : string.Create(CultureInfo.InvariantCulture, $"no answer within {ReadBackTime.TotalSeconds:0} s");

    /// <summary>What <paramref name="list"/> holds, read again, against <paramref name="before"/> (as read before the change) and the plan.</summary>
    internal static string Describe(OwnedPrefixList list, OwnedPrefixList? before, HashSet<IPNetwork>? planned, string newVersion)
    {
        string holds = string.Create(CultureInfo.InvariantCulture, $"{list.Name} ({list.Id}) holds version {list.Version}, {Entries(list.Entries.Count)}");
        string old = $"document version {before?.DocumentVersion ?? "not tagged"}";
        if (before is not null && before.Version == list.Version)
        {
            return $"{holds}, as before this run ({old})";
        }

        if (before is not null && before.Entries.ToHashSet().SetEquals(list.Entries))
        {
            return $"{holds}: its old ones, put back ({old})";
        }

        if (planned is not null && planned.SetEquals(list.Entries))
        {
            return $"{holds}: the new ones (document version {newVersion})";
        }

        return before is null
            ? string.Create(CultureInfo.InvariantCulture, $"{holds}: part of the new ones (created by this run; document version {newVersion} puts {planned?.Count ?? 0} in it)")
            : string.Create(CultureInfo.InvariantCulture,
                $"{holds}: part of the change (version {before.Version} held {before.Entries.Count}, {old}; document version {newVersion} puts {planned?.Count ?? 0} in it)");
    }

    private static string Entries(int count) => Wording.Count(count, "entry", "entries");

    /// <summary>Each list's entries after the change, by name, as planned from the lists read before it.</summary>
    private static Dictionary<string, HashSet<IPNetwork>> Planned(string name, IReadOnlyList<OwnedPrefixList> read, PrefixSet wanted, AddressFamilies families, int perList)
    {
        var planned = new Dictionary<string, HashSet<IPNetwork>>(StringComparer.Ordinal);
        foreach (AddressFamilies family in (AddressFamilies[])[AddressFamilies.IPv4, AddressFamilies.IPv6])
        {
            if ((families & family) == 0)
            {
                continue;
            }

            PrefixSet prefixes = family == AddressFamilies.IPv4 ? wanted.IPv4 : wanted.IPv6;
            foreach (PrefixListPlan plan in PrefixListPlanner.Plan(name, family, [.. prefixes], [.. read.Where(l => l.Family == family)], perList))
            {
                // The first list of a name is the one kept (a second of one part, left by two runs at once, is deleted).
                planned.TryAdd(plan.Name, [.. (plan.Existing?.Entries ?? []).Except(plan.Remove).Union(plan.Add)]);
            }
        }

        return planned;
    }
}
