using Amazon.EC2;
using Amazon.EC2.Model;

namespace FirewallRules.Aws;

/// <summary>A group as read from the account: its VPC and every rule, each marked owned or not.</summary>
internal sealed record GroupState(string GroupId, string? VpcId, IReadOnlyList<ExistingRule> Rules);

/// <summary>One rule of a group: its id (to revoke it by), its key, whether the sync owns it, and its description.</summary>
internal sealed record ExistingRule(string RuleId, AwsSecurityGroupRule Rule, bool Owned, string? Description = null);

/// <summary>Reads security groups and their rules, and recognises the rules a sync owns.</summary>
internal static class SecurityGroupReader
{
    /// <summary>The description every rule owned under <paramref name="name"/> starts with.</summary>
    public static string Marker(string name) => "fwrules:" + name;

    /// <summary>The groups <paramref name="ids"/> with their VPCs, in the order given; an unknown id fails the whole read.</summary>
    public static async Task<IReadOnlyList<(string Id, string? VpcId)>> DescribeAsync(IAmazonEC2 ec2, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        DescribeSecurityGroupsResponse response = await AwsCall.RunAsync($"describe security groups {string.Join(' ', ids)}",
            () => ec2.DescribeSecurityGroupsAsync(new() { GroupIds = [.. ids] }, cancellationToken)).ConfigureAwait(false);
        List<SecurityGroup> groups = response.SecurityGroups ?? [];
        return [.. ids.Distinct(StringComparer.Ordinal).Select(id => groups.Find(g => g.GroupId == id) is { } group
            ? (group.GroupId, group.VpcId)
            : throw new AwsSyncException($"security group {id}: InvalidGroup.NotFound: no such group in this region and account; nothing was changed"))];
    }

    /// <summary>
    /// The groups holding a rule owned under <paramref name="name"/> or referencing one of <paramref name="ownLists"/> (the name's own
    /// prefix lists, as the sync checked them), by id.
    /// </summary>
    public static async Task<IReadOnlyList<string>> FindAsync(IAmazonEC2 ec2, string name, IReadOnlyCollection<string> ownLists, CancellationToken cancellationToken)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (SecurityGroupRule rule in RulesAsync(ec2, filter: null, cancellationToken).ConfigureAwait(false))
        {
            if (IsOwned(rule, name) || (rule.PrefixListId is { } list && ownLists.Contains(list)))
            {
                found.Add(rule.GroupId);
            }
        }

        return [.. found];
    }

    /// <summary>Every rule of <paramref name="groupId"/>, each marked owned (by its description) or not.</summary>
    public static async Task<GroupState> ReadAsync(IAmazonEC2 ec2, string groupId, string? vpcId, string name, CancellationToken cancellationToken)
    {
        var rules = new List<ExistingRule>();
        await foreach (SecurityGroupRule rule in RulesAsync(ec2, new Filter("group-id", [groupId]), cancellationToken).ConfigureAwait(false))
        {
            if (rule.GroupId == groupId && Key(rule) is { } key)
            {
                rules.Add(new ExistingRule(rule.SecurityGroupRuleId, key, IsOwned(rule, name), rule.Description));
            }
        }

        return new GroupState(groupId, vpcId, rules);
    }

    /// <summary>
    /// Owned: the description starts with the marker, which AWS keeps for every kind of rule, a reference to a prefix list included.
    /// Tags never make a rule owned, not even one that references the name's own lists: whoever may only tag a rule (not change the
    /// group) would otherwise have the sync revoke another team's rule to those lists on a port of theirs, keep a CIDR of theirs as
    /// a prefix Datadog stopped publishing, and adopt their group. (moto 5.2.1 lacks AWS behaviour here: it drops the description of
    /// a rule that references a prefix list; the tests' proxy in front of it keeps it, as AWS does.)
    /// </summary>
    private static bool IsOwned(SecurityGroupRule rule, string name)
    {
        string marker = Marker(name);
        return rule.Description is { } description && (description == marker || description.StartsWith(marker + " ", StringComparison.Ordinal));
    }

    private static AwsSecurityGroupRule? Key(SecurityGroupRule rule)
    {
        string? target = rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.PrefixListId ?? rule.ReferencedGroupInfo?.GroupId;
        return target is null ? null : new AwsSecurityGroupRule(rule.IsEgress ?? false, rule.IpProtocol ?? "-1", rule.FromPort ?? -1, rule.ToPort ?? -1, target);
    }

    private static async IAsyncEnumerable<SecurityGroupRule> RulesAsync(
        IAmazonEC2 ec2, Filter? filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            DescribeSecurityGroupRulesResponse page = await AwsCall.RunAsync("describe security group rules", () => ec2.DescribeSecurityGroupRulesAsync(
                new() { Filters = filter is null ? null : [filter], NextToken = token }, cancellationToken)).ConfigureAwait(false);
            foreach (SecurityGroupRule rule in page.SecurityGroupRules ?? [])
            {
                yield return rule;
            }

            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));
    }
}
