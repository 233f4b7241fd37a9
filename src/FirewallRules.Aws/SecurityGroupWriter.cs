using Amazon.EC2;
using Amazon.EC2.Model;

namespace FirewallRules.Aws;

/// <summary>
/// Applies one group's plan in at most three calls, each of which AWS applies whole or not at all: authorize the new rules
/// (tagged and described as owned), revoke the owned rules no longer wanted (by rule id, so a rule someone else added is
/// never touched), authorize the rest. A failure stops the group where it is: old rules, or old and new, never fewer.
/// </summary>
internal sealed class SecurityGroupWriter(IAmazonEC2 ec2, string name)
{
    private readonly Dictionary<string, (List<AwsSecurityGroupRule> Added, List<AwsSecurityGroupRule> Removed)> _done = new(StringComparer.Ordinal);

    /// <summary>Applies <paramref name="plan"/>.</summary>
    /// <exception cref="AwsSyncException">A call failed; the message says what the group holds.</exception>
    /// <exception cref="SecurityGroupConflictException">The group changed since it was read (another run at once); the calls before stand.</exception>
    public async Task ApplyAsync(GroupPlan plan, CancellationToken cancellationToken)
    {
        string id = plan.Group.GroupId;
        await Guarded(() => AuthorizeAsync(id, plan.AddFirst, cancellationToken), $"security group {id} holds its old rules").ConfigureAwait(false);
        Done(id).Added.AddRange(plan.AddFirst.Select(w => w.Rule));
        string added = plan.AddFirst.Count > 0 ? "its old rules and the new ones (nothing was cut; the next run revokes the old)" : "its old rules";
        await Guarded(() => RevokeAsync(id, plan.Revoke, cancellationToken), $"security group {id} holds {added}").ConfigureAwait(false);
        Done(id).Removed.AddRange(plan.Revoke.Select(r => r.Rule));
        await Guarded(() => AuthorizeAsync(id, plan.AddAfter, cancellationToken),
            $"security group {id} holds the new rules that fitted and not yet the rest (the next run adds them)").ConfigureAwait(false);
        Done(id).Added.AddRange(plan.AddAfter.Select(w => w.Rule));
    }

    /// <summary>What this writer's calls added to and revoked from <paramref name="groupId"/>, over every attempt.</summary>
    public (IReadOnlyList<AwsSecurityGroupRule> Added, IReadOnlyList<AwsSecurityGroupRule> Removed) DoneIn(string groupId) =>
        _done.TryGetValue(groupId, out var done) ? ([.. done.Added.Distinct()], [.. done.Removed.Distinct()]) : ([], []);

    private (List<AwsSecurityGroupRule> Added, List<AwsSecurityGroupRule> Removed) Done(string groupId)
    {
        if (!_done.TryGetValue(groupId, out var done))
        {
            done = ([], []);
            _done[groupId] = done;
        }

        return done;
    }

    /// <summary>Revokes owned rules by id, outbound and inbound apart.</summary>
    public async Task RevokeAsync(string groupId, IReadOnlyList<ExistingRule> rules, CancellationToken cancellationToken)
    {
        List<string> egress = [.. rules.Where(r => r.Rule.Egress).Select(r => r.RuleId)];
        List<string> ingress = [.. rules.Where(r => !r.Rule.Egress).Select(r => r.RuleId)];
        if (egress.Count > 0)
        {
            await AwsCall.ChangeAsync($"revoke {egress.Count} egress rules of {groupId}", token => ec2.RevokeSecurityGroupEgressAsync(
                new() { GroupId = groupId, SecurityGroupRuleIds = egress }, token), cancellationToken, groupConflictIsRetryable: true).ConfigureAwait(false);
        }

        if (ingress.Count > 0)
        {
            await AwsCall.ChangeAsync($"revoke {ingress.Count} ingress rules of {groupId}", token => ec2.RevokeSecurityGroupIngressAsync(
                new() { GroupId = groupId, SecurityGroupRuleIds = ingress }, token), cancellationToken, groupConflictIsRetryable: true).ConfigureAwait(false);
        }
    }

    private static async Task Guarded(Func<Task> call, string holds)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (AwsSyncException ex)
        {
            throw new AwsSyncException($"{ex.Message}; {holds}", ex);
        }
    }

    private async Task AuthorizeAsync(string groupId, IReadOnlyList<WantedRule> rules, CancellationToken cancellationToken)
    {
        List<IpPermission> egress = [.. rules.Where(r => r.Rule.Egress).Select(Permission)];
        List<IpPermission> ingress = [.. rules.Where(r => !r.Rule.Egress).Select(Permission)];
        if (egress.Count > 0)
        {
            await AwsCall.ChangeAsync($"authorize {egress.Count} egress rules in {groupId}", token => ec2.AuthorizeSecurityGroupEgressAsync(
                new() { GroupId = groupId, IpPermissions = egress, TagSpecifications = [Tags()] }, token), cancellationToken, groupConflictIsRetryable: true)
                .ConfigureAwait(false);
        }

        if (ingress.Count > 0)
        {
            await AwsCall.ChangeAsync($"authorize {ingress.Count} ingress rules in {groupId}", token => ec2.AuthorizeSecurityGroupIngressAsync(
                new() { GroupId = groupId, IpPermissions = ingress, TagSpecifications = [Tags()] }, token), cancellationToken, groupConflictIsRetryable: true)
                .ConfigureAwait(false);
        }
    }

    private TagSpecification Tags() => new()
    {
        ResourceType = ResourceType.SecurityGroupRule,
        Tags = [new Tag(AwsTags.ManagedBy, AwsTags.ManagedByValue), new Tag(AwsTags.Name, name)],
    };

    /// <summary>The permission AWS takes for <paramref name="wanted"/>, with its description.</summary>
    internal static IpPermission Permission(WantedRule wanted)
    {
        AwsSecurityGroupRule rule = wanted.Rule;
        var permission = new IpPermission { IpProtocol = rule.Protocol, FromPort = rule.FromPort, ToPort = rule.ToPort };
        if (rule.IsPrefixList)
        {
            permission.PrefixListIds = [new PrefixListId { Id = rule.Target, Description = wanted.Description }];
        }
        else if (rule.IsIPv6)
        {
            permission.Ipv6Ranges = [new Ipv6Range { CidrIpv6 = rule.Target, Description = wanted.Description }];
        }
        else
        {
            permission.Ipv4Ranges = [new IpRange { CidrIp = rule.Target, Description = wanted.Description }];
        }

        return permission;
    }
}
