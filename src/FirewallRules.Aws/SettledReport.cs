namespace FirewallRules.Aws;

/// <summary>The report of a run that applied its change more than once (another run changed the account at once): every attempt added up.</summary>
internal static class SettledReport
{
    /// <summary>The attempts' reports as one: each list and group with what every attempt did to it.</summary>
    public static (AwsPrefixListReport Lists, AwsSecurityGroupReport? Groups) AddUp(IReadOnlyList<(AwsPrefixListReport Lists, AwsSecurityGroupReport? Groups)> attempts)
    {
        if (attempts.Count == 1)
        {
            return attempts[0];
        }

        // By id: two lists of one name (created at once by two runs) are two lists.
        var lists = new Dictionary<string, AwsPrefixListChange>(StringComparer.Ordinal);
        var groups = new Dictionary<string, AwsSecurityGroupChange>(StringComparer.Ordinal);
        foreach ((AwsPrefixListReport listReport, AwsSecurityGroupReport? groupReport) in attempts)
        {
            foreach (AwsPrefixListChange change in listReport.Lists)
            {
                string key = change.Id ?? change.Name;
                lists[key] = lists.TryGetValue(key, out AwsPrefixListChange? before) ? before.Then(change) : change;
            }

            foreach (AwsSecurityGroupChange change in groupReport?.Groups ?? [])
            {
                groups[change.GroupId] = groups.TryGetValue(change.GroupId, out AwsSecurityGroupChange? before) ? Then(before, change) : change;
            }
        }

        AwsSecurityGroupReport? last = attempts[^1].Groups;
        return (new AwsPrefixListReport([.. lists.Values], attempts.Sum(a => a.Lists.Attempts)),
            last is null ? null : new AwsSecurityGroupReport([.. groups.Values]) { Attempts = attempts.Sum(a => a.Groups?.Attempts ?? 0) });
    }

    private static AwsSecurityGroupChange Then(AwsSecurityGroupChange before, AwsSecurityGroupChange later) => later with
    {
        Added = [.. before.Added.Except(later.Removed).Union(later.Added)],
        Removed = [.. before.Removed.Except(later.Added).Union(later.Removed)],
    };
}
