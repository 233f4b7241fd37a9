using System.Globalization;
using System.Net;
using Amazon.EC2;
using FirewallRules.Aws;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// The security groups of one account sync run, and with <c>--cidr-rules</c> the grace record in their owned rules' descriptions
/// (<see cref="RuleGraceRecord"/>), read only where each group's seal vouches for it (<see cref="GroupSeal"/>) and sealed again after it is written.
/// </summary>
internal static class AwsGroupGrace
{
    /// <summary>
    /// <paramref name="options"/> with the groups this run keeps, found once before any change when none is given (a group the run changes no
    /// longer matches its seal until the run seals it again): those that reference <paramref name="ownLists"/>, those <paramref name="known"/> (this
    /// runner's state) names, and those a whole seal vouches for; a group holding owned rules and none of those is named in one line to
    /// <paramref name="warn"/> and left as it is.
    /// </summary>
    public static async Task<AwsSecurityGroupSyncOptions?> ResolveAsync(IAmazonEC2 ec2, AwsSecurityGroupSyncOptions? options, IReadOnlyCollection<string>? known,
        IReadOnlyCollection<string> ownLists, Action<string> warn, CancellationToken cancellationToken)
    {
        if (options is null)
        {
            return null;
        }

        warn = Advised(warn);
        options = options with { KnownGroups = known ?? [], Warn = warn };
        if (options.GroupIds.Count > 0)
        {
            return options;
        }

        IReadOnlyList<string> found = await SecurityGroupReader.FindAsync(ec2, options.Name, ownLists, options.KnownGroups, warn, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? options : options with { GroupIds = [.. found] };
    }

    /// <summary><paramref name="warn"/>, each line of a group left as it is ended with how to keep it (the CLI's option).</summary>
    public static Action<string> Advised(Action<string> warn) => line => warn(line + "; name it with --group-id to keep it");

    /// <summary>
    /// Merges into <paramref name="lastSeen"/> (this runner's own) the times the owned rules of each group carry, where the group's seal is whole.
    /// Elsewhere (no seal, or the rules changed since it was written: a rule added or a time edited by another hand, or a run stopped before it
    /// sealed) no time is read: a retired CIDR stays only while this runner's state keeps it, and one line to <paramref name="warn"/> says how many
    /// rules the run revokes for that.
    /// </summary>
    public static async Task MergeAsync(IAmazonEC2 ec2, AwsSecurityGroupSyncOptions options, Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen,
        PrefixSet published, DateTimeOffset now, Action<string> warn, CancellationToken cancellationToken)
    {
        IReadOnlyList<GroupState> groups = await new AwsSecurityGroupSync(ec2, options).ReadGroupsAsync([], cancellationToken).ConfigureAwait(false);
        foreach (GroupState group in groups)
        {
            ExistingRule[] owned = [.. group.Rules.Where(r => r.Owned)];
            if (GroupSeal.Whole(group, options.Name) is { } sealedAt)
            {
                RuleGraceRecord.Merge(lastSeen, owned, options.Name, published, sealedAt < now ? sealedAt : now);
                continue;
            }

            int unkept = owned.Count(r => RuleGraceRecord.Retired(r, published) is { } cidr && !lastSeen.Values.Any(t => t.ContainsKey(cidr)));
            if (unkept > 0)
            {
                string count = unkept.ToString(CultureInfo.InvariantCulture);
                warn($"security group {group.GroupId}: {count} rules marked {SecurityGroupReader.Marker(options.Name)} allow a CIDR no longer published that this " +
                    $"runner's state does not keep, and the group's seal ({GroupSeal.Key(options.Name)}) does not vouch for them (absent, or the rules were added " +
                    "or their times edited since it was written): their times are not read; the run revokes them");
            }
        }
    }

    /// <summary>
    /// Writes the record into the owned rules of every group (<see cref="RuleGraceRecord.WriteAsync"/>), then seals each group as it reads again
    /// after that (<see cref="GroupSeal.WriteAsync"/>).
    /// </summary>
    public static async Task RecordAsync(IAmazonEC2 ec2, AwsSecurityGroupSyncOptions options,
        IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen, PrefixSet published, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sync = new AwsSecurityGroupSync(ec2, options);
        IReadOnlyList<GroupState> groups = await sync.ReadGroupsAsync([], cancellationToken).ConfigureAwait(false);
        if (await RuleGraceRecord.WriteAsync(ec2, groups, options.Name, lastSeen, published, cancellationToken).ConfigureAwait(false) > 0)
        {
            groups = await sync.ReadGroupsAsync([], cancellationToken).ConfigureAwait(false);
        }

        await GroupSeal.WriteAsync(ec2, groups, options.Name, now, cancellationToken).ConfigureAwait(false);
    }
}
