using Amazon.EC2;
using Amazon.EC2.Model;

namespace FirewallRules.Aws;

/// <summary>A group as read from the account: its VPC and every rule, each marked owned or not; and its tags (null when not read).</summary>
internal sealed record GroupState(string GroupId, string? VpcId, IReadOnlyList<ExistingRule> Rules, IReadOnlyDictionary<string, string>? Tags = null);

/// <summary>A group as described: its id, its VPC and its tags.</summary>
internal sealed record GroupRef(string Id, string? VpcId, IReadOnlyDictionary<string, string> Tags);

/// <summary>One rule of a group: its id (to revoke it by), its key, whether the sync owns it, and its description.</summary>
internal sealed record ExistingRule(string RuleId, AwsSecurityGroupRule Rule, bool Owned, string? Description = null);

/// <summary>Reads security groups and their rules, and recognises the rules a sync owns.</summary>
internal static class SecurityGroupReader
{
    /// <summary>The description every rule owned under <paramref name="name"/> starts with.</summary>
    public static string Marker(string name) => "fwrules:" + name;

    /// <summary>The groups <paramref name="ids"/> with their VPCs and tags, in the order given; an unknown id fails the whole read.</summary>
    public static async Task<IReadOnlyList<GroupRef>> DescribeAsync(IAmazonEC2 ec2, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        DescribeSecurityGroupsResponse response = await AwsCall.RunAsync($"describe security groups {string.Join(' ', ids)}",
            () => ec2.DescribeSecurityGroupsAsync(new() { GroupIds = [.. ids] }, cancellationToken)).ConfigureAwait(false);
        List<SecurityGroup> groups = response.SecurityGroups ?? [];
        return [.. ids.Distinct(StringComparer.Ordinal).Select(id => groups.Find(g => g.GroupId == id) is { } group
            ? Ref(group)
            : throw new AwsSyncException($"security group {id}: InvalidGroup.NotFound: no such group in this region and account; nothing was changed"))];
    }

    private static GroupRef Ref(SecurityGroup group) =>
        new(group.GroupId, group.VpcId, (group.Tags ?? []).Where(t => t.Key is not null).GroupBy(t => t.Key)
            .ToDictionary(t => t.Key, t => t.Last().Value ?? string.Empty, StringComparer.Ordinal));

    /// <summary>
    /// The groups to keep when none is given, by id: those holding a rule referencing one of <paramref name="ownLists"/> (the name's own
    /// prefix lists, as the sync checked them), those <paramref name="known"/> names (this runner's state: the groups its last run kept)
    /// that still exist, and those whose owned rules a whole seal of the name vouches for (<see cref="GroupSeal"/>). A group holding rules
    /// owned under <paramref name="name"/> and none of those is not the sync's to change (anyone allowed to edit a rule's description could
    /// bring another team's group in): one line to <paramref name="warn"/> names it.
    /// </summary>
    public static async Task<IReadOnlyList<string>> FindAsync(IAmazonEC2 ec2, string name, IReadOnlyCollection<string> ownLists, IReadOnlyCollection<string> known,
        Action<string>? warn, CancellationToken cancellationToken)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var marked = new Dictionary<string, List<ExistingRule>>(StringComparer.Ordinal);
        await foreach (SecurityGroupRule rule in RulesAsync(ec2, filter: null, cancellationToken).ConfigureAwait(false))
        {
            if (rule.PrefixListId is { } list && ownLists.Contains(list))
            {
                found.Add(rule.GroupId);
            }
            else if (IsOwned(rule, name) && Key(rule) is { } key)
            {
                (marked.TryGetValue(rule.GroupId, out List<ExistingRule>? rules) ? rules : marked[rule.GroupId] = [])
                    .Add(new ExistingRule(rule.SecurityGroupRuleId, key, Owned: true, rule.Description));
            }
        }

        string[] unsure = [.. known.Concat(marked.Keys).Where(id => !found.Contains(id)).Distinct(StringComparer.Ordinal)];
        foreach (GroupRef group in unsure.Length == 0 ? [] : await ExistingAsync(ec2, unsure, cancellationToken).ConfigureAwait(false))
        {
            if (known.Contains(group.Id) || GroupSeal.Whole(group.Id, group.Tags, marked.GetValueOrDefault(group.Id) ?? [], name) is not null)
            {
                found.Add(group.Id);
            }
            else
            {
                warn?.Invoke($"security group {group.Id} holds rules marked {Marker(name)}, and neither this runner's state nor a whole seal of the name " +
                    $"({GroupSeal.Key(name)}) says the sync kept it (their descriptions may have been edited by another hand): left as it is");
            }
        }

        return [.. found];
    }

    /// <summary>Those of the groups <paramref name="ids"/> that exist, with their tags (a group since deleted is left out).</summary>
    private static async Task<IReadOnlyList<GroupRef>> ExistingAsync(IAmazonEC2 ec2, string[] ids, CancellationToken cancellationToken)
    {
        DescribeSecurityGroupsResponse response = await AwsCall.RunAsync($"describe security groups {string.Join(' ', ids)}",
            () => ec2.DescribeSecurityGroupsAsync(new() { Filters = [new Filter("group-id", [.. ids])] }, cancellationToken)).ConfigureAwait(false);
        return [.. (response.SecurityGroups ?? []).Where(g => ids.Contains(g.GroupId)).Select(Ref)];
    }

    /// <summary>Every rule of <paramref name="group"/>, each marked owned (by its description) or not.</summary>
    public static async Task<GroupState> ReadAsync(IAmazonEC2 ec2, GroupRef group, string name, CancellationToken cancellationToken)
    {
        (string groupId, string? vpcId) = (group.Id, group.VpcId);
        var rules = new List<ExistingRule>();
        await foreach (SecurityGroupRule rule in RulesAsync(ec2, new Filter("group-id", [groupId]), cancellationToken).ConfigureAwait(false))
        {
            if (rule.GroupId == groupId && Key(rule) is { } key)
            {
                rules.Add(new ExistingRule(rule.SecurityGroupRuleId, key, IsOwned(rule, name), rule.Description));
            }
        }

        return new GroupState(groupId, vpcId, rules, group.Tags);
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
