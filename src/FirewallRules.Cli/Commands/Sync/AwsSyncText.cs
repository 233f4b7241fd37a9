using System.Globalization;
using System.Text;
using FirewallRules.Aws;
using FirewallRules.IO;

namespace FirewallRules.Cli.Commands;

/// <summary>What <c>fwrules sync -f aws-prefix-list|aws-sg</c> prints: the plan or what was done, per list and per group.</summary>
internal static class AwsSyncText
{
    public static string Describe(AwsAccountReport report, SyncCommand.Request request)
    {
        var text = new StringBuilder();
        string counts = $"{Wording.FamilyCounts(report.Rules.Prefixes.IPv4.Count, report.Rules.Prefixes.IPv6.Count)} for {string.Join(", ", report.Rules.Provenance.Sections)}";
        string where = $" ({AwsStateTarget.Describe(report.Region, report.Account)})";
        string what = report.Groups is null ? $"the prefix lists {report.Name}{where}" : $"the security groups of {report.Name}{where}";
        string document = Wording.Document(report.Document);
        string line = report.PrefixLists.UpToDate && (report.Groups?.UpToDate ?? true) ? $"nothing to do: {what} already hold {document}"
            : request.DryRun ? $"dry run: would apply {document} to {what}"
            : $"applied {document} to {what}";
        text.Append(CultureInfo.InvariantCulture, $"sync: {line}: {counts}\n");
        foreach (AwsPrefixListChange list in report.PrefixLists.Lists)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  {list.Name} ({list.Id ?? "new"}): {Word(list.Action)} +{list.Added.Count} -{list.Removed.Count}, {Wording.Count(list.Entries, "entry", "entries")}, " +
                    $"MaxEntries {list.MaxEntries}\n");
            if (request.DryRun)
            {
                text.AppendJoin(string.Empty, list.Added.Select(prefix => $"    + {prefix}\n"));
                text.AppendJoin(string.Empty, list.Removed.Select(prefix => $"    - {prefix}\n"));
            }
        }

        foreach (AwsSecurityGroupChange group in report.Groups?.Groups ?? [])
        {
            // Every group gets the same rules, so each allows every prefix kept in its grace (directly, or through the lists).
            text.Append(CultureInfo.InvariantCulture,
                $"  {group.GroupId} ({group.VpcId ?? "no VPC"}): +{group.Added.Count} -{group.Removed.Count} rules, {group.Owned} owned, {group.Foreign} " +
                    $"someone else's (kept), prefixes kept in grace: {report.Kept.Count}\n");
            if (request.DryRun)
            {
                text.AppendJoin(string.Empty, group.Added.Select(rule => $"    + {rule}\n"));
                text.AppendJoin(string.Empty, group.Removed.Select(rule => $"    - {rule}\n"));
            }
        }

        if (report.Kept.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  kept {Wording.Count(report.Kept.Count, "prefix", "prefixes")} Datadog no longer publishes (--keep-removed " +
                    $"{DurationText.Format(request.Settings.KeepRemoved)})\n");
            if (request.DryRun)
            {
                Wording.AppendListing(text,
                    [.. report.Kept.Select(k => $"= {k.Prefix} ({(k.Section == GraceRecord.Unclaimed ? "its section unrecorded" : k.Section)}, " +
                        $"until {k.Until.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)})")],
                    "    ");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The warning that prefixes still in grace were removed early because the grace record cannot name them (never silenced: rules
    /// were left out); null when none was.
    /// </summary>
    public static string? CutWarning(AwsAccountReport report, bool dryRun) => report.Cut.Count == 0 ? null : string.Create(CultureInfo.InvariantCulture,
        $"not loaded: {Wording.Count(report.Cut.Count, "prefix", "prefixes")} still within --keep-removed {(dryRun ? "would be" : "were")} removed early, " +
        $"the oldest kept (e.g. {report.Cut[0]}): the grace record every runner shares in the account's tags cannot name more, and a kept prefix " +
        $"it left out would be kept past its period");

    /// <summary>One line per group whose egress allow-rules restrict nothing: AWS's default allow-all egress rule is still there.</summary>
    public static IEnumerable<string> DefaultEgressWarnings(AwsSecurityGroupReport? groups) =>
        (groups?.Groups ?? []).Where(g => g.DefaultEgressOpen).Select(g =>
            $"sync: security group {g.GroupId} still has the default allow-all egress rule (0.0.0.0/0 or ::/0, all traffic): its egress allow-rules " +
                $"restrict nothing until that rule is revoked");

    public static string DescribeRemoval(AwsPrefixListReport removed, AwsSecurityGroupReport groups, string name, string region, bool dryRun)
    {
        var text = new StringBuilder();
        foreach (AwsSecurityGroupChange group in groups.Groups.Where(g => g.Removed.Count > 0))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"sync: {(dryRun ? "dry run: would revoke" : "revoked")} {Wording.Count(group.Removed.Count, "rule", "rules")} of fwrules:{name} in {group.GroupId} ({region}) " +
                    $"(kept {group.Foreign} others)\n");
        }

        text.Append(removed.Lists.Count == 0
            ? $"sync: nothing to remove: no prefix list in region {region} is tagged fwrules:name={name}\n"
            : $"sync: {(dryRun ? "dry run: would delete" : "deleted")} the prefix lists {name} (region {region})\n");
        foreach (AwsPrefixListChange list in removed.Lists)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {list.Name} ({list.Id}): {Wording.Count(list.Removed.Count, "entry", "entries")}\n");
        }

        return text.ToString();
    }

    private static string Word(AwsListAction action) => action switch
    {
        AwsListAction.Created => "create",
        AwsListAction.Modified => "modify",
        AwsListAction.Deleted => "delete",
        _ => "unchanged",
    };
}
