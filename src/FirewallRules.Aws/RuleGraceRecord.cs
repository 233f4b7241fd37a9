using System.Globalization;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using FirewallRules.Rules;

namespace FirewallRules.Aws;

/// <summary>
/// The keep period's record shared by every runner of a name with <c>--cidr-rules</c> (no prefix lists, so no
/// <see cref="GraceRecord"/>): kept in the account, in the description of each owned rule of a prefix no longer published,
/// so that two machines syncing one account keep and prune the same rules at the same time instead of one revoking what
/// the other re-adds.
/// </summary>
/// <remarks>
/// <para>An owned rule's description is <c>fwrules:NAME SECTIONS</c> (the sections that publish the CIDR, comma-separated);
/// while the CIDR is kept after Datadog stopped publishing it, the description ends with <c> @SECONDS</c>: when it was last
/// seen published (Unix seconds). AWS allows a rule description up to 255 characters of a-z, A-Z, 0-9, spaces and
/// <c>._-:/()#,@[]+=;{}!$*</c>; the time takes 12 of them, cut from the sections' end when the whole would be longer.</para>
/// <para>A runner reads the descriptions before it decides what to keep and takes, for each CIDR, the later of its own time
/// and the description's (for the sections the description names); a CIDR whose rule has no time and that its own state
/// does not know is kept from when the group was sealed. After its change it writes each owned rule's description: the time of a
/// kept CIDR, none for a published one; then it seals each group (<see cref="GroupSeal"/>). So the first runner after a prefix leaves
/// the document writes when it was last seen, every later runner reads it, and the prune (the revoke) lands once that time and the
/// keep period have passed, whichever runner runs.</para>
/// <para>Only a group whose seal matches its owned rules is read so: a rule added by hand with the marker, or a time edited, breaks the
/// seal, and then no description's time is read (a retired CIDR stays only while the runner's own state keeps it).</para>
/// </remarks>
internal static class RuleGraceRecord
{
    /// <summary>The longest description AWS takes for a rule.</summary>
    public const int MaxDescription = 255;

    /// <summary>When <paramref name="description"/> says the CIDR was last seen published; null for none (or one that does not read).</summary>
    public static DateTimeOffset? Seen(string? description)
    {
        int at = description?.LastIndexOf(" @", StringComparison.Ordinal) ?? -1;
        return at >= 0 ? GraceRecord.Time(description.AsSpan(at + 2)) : null;
    }

    /// <summary><paramref name="description"/> without its time, then with <paramref name="seen"/> (none for null), within AWS's length.</summary>
    public static string WithSeen(string description, DateTimeOffset? seen)
    {
        string plain = Seen(description) is null ? description : description[..description.LastIndexOf(" @", StringComparison.Ordinal)];
        if (seen is not { } time)
        {
            return plain;
        }

        string suffix = " @" + time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return (plain.Length + suffix.Length > MaxDescription ? plain[..(MaxDescription - suffix.Length)] : plain) + suffix;
    }

    /// <summary>The sections an owned rule's description names (after the marker), of those in <paramref name="known"/>; every one when it names none.</summary>
    public static IReadOnlyList<string> Sections(string? description, string name, IReadOnlyCollection<string> known)
    {
        string marker = SecurityGroupReader.Marker(name) + " ";
        string[] named = description is not null && description.StartsWith(marker, StringComparison.Ordinal)
            ? description[marker.Length..].Split(' ', 2)[0].Split(',', StringSplitOptions.RemoveEmptyEntries)
            : [];
        List<string> sections = [.. known.Where(k => named.Contains(k, StringComparer.Ordinal))];
        return sections.Count > 0 ? sections : [.. known];
    }

    /// <summary>
    /// Merges the owned rules' record into <paramref name="lastSeen"/> (each runner's own, per section): for a CIDR
    /// <paramref name="published"/> does not cover, the later of the two times, the description's never past <paramref name="sealedAt"/>;
    /// with no time on either side, <paramref name="sealedAt"/> (the last run published it: another runner, whose document is newer).
    /// Only the rules of a group whose seal is whole are merged (<see cref="GroupSeal"/>): <paramref name="sealedAt"/> is when it was
    /// written (never past the run's time).
    /// </summary>
    public static void Merge(
        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen, IEnumerable<ExistingRule> owned, string name, PrefixSet published, DateTimeOffset sealedAt)
    {
        foreach (ExistingRule rule in owned)
        {
            if (Retired(rule, published) is not { } cidr)
            {
                continue;
            }

            IReadOnlyList<string> sections = Sections(rule.Description, name, lastSeen.Keys);
            DateTimeOffset? seen = Seen(rule.Description) is { } said ? (said > sealedAt ? sealedAt : said) : null;
            foreach (string section in sections)
            {
                Dictionary<IPNetwork, DateTimeOffset> times = lastSeen[section];
                if (seen is { } at ? !times.TryGetValue(cidr, out DateTimeOffset had) || had < at : !lastSeen.Values.Any(t => t.ContainsKey(cidr)))
                {
                    times[cidr] = seen ?? sealedAt;
                }
            }
        }
    }

    /// <summary>The CIDR of <paramref name="rule"/> when it is one <paramref name="published"/> does not cover (a retired prefix); else null.</summary>
    public static IPNetwork? Retired(ExistingRule rule, PrefixSet published) =>
        !rule.Rule.IsPrefixList && IPNetwork.TryParse(rule.Rule.Target, out IPNetwork cidr) && PrefixSet.Create([cidr]).Except(published).Count > 0 ? cidr : null;

    /// <summary>
    /// Writes the record into the owned rules of <paramref name="groups"/>: each rule of a CIDR <paramref name="published"/> does not
    /// cover gets the latest time <paramref name="lastSeen"/> holds for it, each other rule none. Only descriptions that change are written.
    /// </summary>
    /// <returns>How many descriptions were written.</returns>
    public static async Task<int> WriteAsync(IAmazonEC2 ec2, IReadOnlyList<GroupState> groups, string name,
        IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen, PrefixSet published, CancellationToken cancellationToken)
    {
        int written = 0;
        foreach (GroupState group in groups)
        {
            var changed = new List<(AwsSecurityGroupRule Rule, string Description)>();
            foreach (ExistingRule rule in group.Rules.Where(r => r.Owned && !r.Rule.IsPrefixList && r.Description is not null))
            {
                DateTimeOffset? seen = Retired(rule, published) is { } cidr
                    ? lastSeen.Values.Select(t => t.TryGetValue(cidr, out DateTimeOffset at) ? at : (DateTimeOffset?)null).Max() : null;
                string description = WithSeen(rule.Description!, seen);
                if (description != rule.Description)
                {
                    changed.Add((rule.Rule, description));
                }
            }

            foreach (bool egress in (bool[])[true, false])
            {
                List<IpPermission> permissions = [.. changed.Where(c => c.Rule.Egress == egress)
                    .Select(c => SecurityGroupWriter.Permission(new WantedRule(c.Rule, c.Description, 1, AddressFamilies.IPv4)))];
                if (permissions.Count == 0)
                {
                    continue;
                }

                string what = $"write the last-seen times of {permissions.Count} {(egress ? "egress" : "ingress")} rules of {group.GroupId}";
                try
                {
                    if (egress)
                    {
                        await AwsCall.ChangeAsync(what, token => ec2.UpdateSecurityGroupRuleDescriptionsEgressAsync(
                            new() { GroupId = group.GroupId, IpPermissions = permissions }, token), cancellationToken, groupConflictIsRetryable: true).ConfigureAwait(false);
                    }
                    else
                    {
                        await AwsCall.ChangeAsync(what, token => ec2.UpdateSecurityGroupRuleDescriptionsIngressAsync(
                            new() { GroupId = group.GroupId, IpPermissions = permissions }, token), cancellationToken, groupConflictIsRetryable: true).ConfigureAwait(false);
                    }
                }
                catch (SecurityGroupConflictException)
                {
                    // Another run revoked a rule first: it writes the record of what it left; the next run writes this one's.
                    continue;
                }

                written += permissions.Count;
            }
        }

        return written;
    }
}
