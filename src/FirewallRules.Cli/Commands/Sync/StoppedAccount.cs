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
        IAmazonEC2 ec2, string name, IReadOnlyList<OwnedPrefixList> read, PrefixSet wanted, AddressFamilies families, int perList, long version, bool groups)
    {
        string next = (groups ? "; every security group holds its old rules, or its old and new ones" : string.Empty) + "; the next run finishes the change";
        IReadOnlyList<OwnedPrefixList> now;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                now = await PrefixListReader.ReadAsync(ec2, name, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AwsSyncException or OperationCanceledException)
            {
                string why = ex is AwsSyncException ? ex.Message : "no answer within 30 s";
                return $"; reading the prefix lists again failed ({why}): each holds its old entries or its new ones (one changed part-way was put back){next}";
            }
        }

        Dictionary<string, HashSet<IPNetwork>> planned = Planned(name, read, wanted, families, perList);
        string newVersion = version.ToString(CultureInfo.InvariantCulture);
        var lists = now.Select(l => Describe(l, read.FirstOrDefault(r => r.Id == l.Id), planned.GetValueOrDefault(l.Name), newVersion)).ToList();
        lists.AddRange(read.Where(r => now.All(l => l.Id != r.Id)).Select(r => $"{r.Name} ({r.Id}) is deleted, as ip-ranges version {newVersion} needs"));
        bool unchanged = now.Count == read.Count && now.All(l => read.Any(r => r.Id == l.Id && r.Version == l.Version));
        return unchanged
            ? $"; read again, no prefix list was changed: {(lists.Count == 0 ? "there is none" : string.Join("; ", lists))}{next}"
            : $"; read again, {string.Join("; ", lists)}{next}";
    }

    private static string Describe(OwnedPrefixList list, OwnedPrefixList? before, HashSet<IPNetwork>? planned, string newVersion)
    {
        string holds = string.Create(CultureInfo.InvariantCulture, $"{list.Name} ({list.Id}) holds version {list.Version}, {list.Entries.Count} entries");
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
                planned[plan.Name] = [.. (plan.Existing?.Entries ?? []).Except(plan.Remove).Union(plan.Add)];
            }
        }

        return planned;
    }
}
