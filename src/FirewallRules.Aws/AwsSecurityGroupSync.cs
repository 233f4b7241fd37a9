using System.Globalization;
using Amazon.EC2;

namespace FirewallRules.Aws;

/// <summary>
/// Keeps the rules of security groups in step with a rule set: one rule per port and CIDR, or one per port and managed
/// prefix list (the lists <see cref="AwsPrefixListSync"/> keeps). Only rules the sync owns are revoked: their description
/// starts with <c>fwrules:NAME</c>. A rule someone else added is kept and counts against the quota.
/// </summary>
/// <remarks>
/// <para>The EC2 client is the caller's: region, endpoint and credentials come from however it was made.</para>
/// <para>Every group is read and planned before any is changed: an unknown group, or a group that would end over
/// <see cref="AwsSecurityGroupSyncOptions.RulesPerGroup"/>, fails the run with nothing changed. Then each group gets its
/// new rules before losing its old ones (authorize, then revoke), so traffic still wanted is never cut; a group near its
/// quota gets what fits first, and the rest after the revoke. A failed call leaves the group with its old rules, or its old
/// and new ones together.</para>
/// </remarks>
/// <example>
/// <code>
/// using var ec2 = new AmazonEC2Client();
/// var sync = new AwsSecurityGroupSync(ec2, new() { Name = "datadog-logs", GroupIds = ["sg-0123456789abcdef0"] });
/// AwsSecurityGroupReport report = await sync.SyncAsync(RuleSet.For(Section.Logs), prefixLists: null, cancellationToken);
/// </code>
/// </example>
public sealed class AwsSecurityGroupSync
{
    private readonly IAmazonEC2 _ec2;
    private readonly AwsSecurityGroupSyncOptions _options;

    /// <summary>Creates a sync over <paramref name="ec2"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty or <see cref="AwsSecurityGroupSyncOptions.RulesPerGroup"/> is outside 1 to 1000.</exception>
    public AwsSecurityGroupSync(IAmazonEC2 ec2, AwsSecurityGroupSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(ec2);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Name);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RulesPerGroup, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.RulesPerGroup, 1000);
        _ec2 = ec2;
        _options = options;
    }

    /// <summary>Makes every group hold the rules <paramref name="rules"/> needs, revoking the owned rules it no longer needs.</summary>
    /// <param name="rules">The rules to allow.</param>
    /// <param name="prefixLists">The lists to reference (their ids, sizes and families, as <see cref="AwsPrefixListSync"/> reports them); null for one rule per CIDR.</param>
    /// <param name="cancellationToken">Stops between calls; a call in flight is answered first.</param>
    /// <returns>What was done (or, in a dry run, would be) to each group.</returns>
    /// <exception cref="AwsSyncException">A group is unknown or would exceed the quota (nothing changed), or AWS failed a call.</exception>
    public async Task<AwsSecurityGroupReport> SyncAsync(RuleSet rules, IReadOnlyList<AwsPrefixListChange>? prefixLists, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        // The lists fwrules keeps for the name: a group with a rule referencing one of them is found (without --group-id).
        string[] own = [.. (prefixLists ?? []).Select(l => l.Id).OfType<string>()];
        IReadOnlyList<GroupRef> groups = await GroupsAsync(own, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<WantedRule> wanted = SecurityGroupPlanner.Wanted(rules, prefixLists, _options.Name);
        var writer = new SecurityGroupWriter(_ec2, _options.Name);
        for (int attempt = 1; ; attempt++)
        {
            List<GroupPlan> plans = await PlanAsync(groups, wanted, cancellationToken).ConfigureAwait(false);
            if (_options.DryRun)
            {
                return new AwsSecurityGroupReport([.. plans.Select(p => p.ToChange())]);
            }

            try
            {
                foreach (GroupPlan plan in plans)
                {
                    await writer.ApplyAsync(plan, cancellationToken).ConfigureAwait(false);
                }

                // What every attempt did, not only the last: a run that met another adds up its own calls.
                return new AwsSecurityGroupReport([.. plans.Select(p => Done(p.ToChange(), writer))]) { Attempts = attempt };
            }
            catch (SecurityGroupConflictException) when (attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds((200 * attempt) + Random.Shared.Next(300)), cancellationToken).ConfigureAwait(false);
            }
            catch (SecurityGroupConflictException ex)
            {
                throw new AwsSyncException($"the security groups changed under each of {attempt} attempts (another sync at once, or a hand edit); the last: {ex.Message}; "
                    + await HoldsAsync(groups, wanted).ConfigureAwait(false), ex);
            }
        }
    }

    /// <summary>How many times the groups are read and planned again when another run changes one under this one. Default: 5.</summary>
    internal int Attempts { get; init; } = 5;

    private static AwsSecurityGroupChange Done(AwsSecurityGroupChange change, SecurityGroupWriter writer)
    {
        (IReadOnlyList<AwsSecurityGroupRule> added, IReadOnlyList<AwsSecurityGroupRule> removed) = writer.DoneIn(change.GroupId);
        return change with { Added = added, Removed = removed };
    }

    private async Task<List<GroupPlan>> PlanAsync(
        IReadOnlyList<GroupRef> groups, IReadOnlyList<WantedRule> wanted, CancellationToken cancellationToken)
    {
        var plans = new List<GroupPlan>();
        foreach (GroupRef group in groups)
        {
            GroupState state = await SecurityGroupReader.ReadAsync(_ec2, group, _options.Name, cancellationToken).ConfigureAwait(false);
            plans.Add(SecurityGroupPlanner.Plan(state, wanted, _options.RulesPerGroup));
        }

        return plans;
    }

    /// <summary>What each group holds now, read again: the rules still to add and to revoke.</summary>
    private async Task<string> HoldsAsync(IReadOnlyList<GroupRef> groups, IReadOnlyList<WantedRule> wanted)
    {
        try
        {
            List<GroupPlan> plans = await PlanAsync(groups, wanted, CancellationToken.None).ConfigureAwait(false);
            return string.Join("; ", plans.Select(p => p.AddFirst.Count + p.AddAfter.Count + p.Revoke.Count == 0
                ? $"security group {p.Group.GroupId} holds the new rules"
                : string.Create(CultureInfo.InvariantCulture,
                    $"security group {p.Group.GroupId} holds {wanted.Count - p.AddFirst.Count - p.AddAfter.Count} of the {wanted.Count} rules wanted and " +
                        $"{p.Revoke.Count} owned rules no longer wanted (the next run finishes)")));
        }
        catch (AwsSyncException ex)
        {
            return $"reading the groups again failed too ({ex.Message})";
        }
    }

    /// <summary>
    /// The groups (given, or found by their owned rules and their references to <paramref name="ownLists"/>, the name's own prefix
    /// lists as the run checked them), each read with every rule and its description.
    /// </summary>
    internal async Task<IReadOnlyList<GroupState>> ReadGroupsAsync(IReadOnlyCollection<string> ownLists, CancellationToken cancellationToken)
    {
        var read = new List<GroupState>();
        foreach (GroupRef group in await GroupsAsync(ownLists, cancellationToken).ConfigureAwait(false))
        {
            read.Add(await SecurityGroupReader.ReadAsync(_ec2, group, _options.Name, cancellationToken).ConfigureAwait(false));
        }

        return read;
    }

    /// <summary>
    /// Revokes every rule owned under the name (its description starts with <c>fwrules:NAME</c>) in the groups (given, or found by a whole
    /// seal of the name on them, which <c>fwrules sync --cidr-rules</c> writes); keeps every other rule.
    /// </summary>
    /// <returns>What was revoked in each group.</returns>
    /// <exception cref="AwsSyncException">A group is unknown, or AWS failed a call (the groups before it are done).</exception>
    public Task<AwsSecurityGroupReport> RemoveAsync(CancellationToken cancellationToken) => RemoveAsync([], cancellationToken);

    /// <summary>
    /// As <see cref="RemoveAsync(CancellationToken)"/>, with <paramref name="ownLists"/>, the name's own prefix lists as the run checked
    /// them: a group with a rule referencing one of them is found too (its owned rules revoked, every other rule kept).
    /// </summary>
    internal async Task<AwsSecurityGroupReport> RemoveAsync(IReadOnlyCollection<string> ownLists, CancellationToken cancellationToken)
    {
        var changes = new List<AwsSecurityGroupChange>();
        var writer = new SecurityGroupWriter(_ec2, _options.Name);
        foreach (GroupRef group in await GroupsAsync(ownLists, cancellationToken).ConfigureAwait(false))
        {
            string id = group.Id;
            GroupState state = await SecurityGroupReader.ReadAsync(_ec2, group, _options.Name, cancellationToken).ConfigureAwait(false);
            List<ExistingRule> owned = [.. state.Rules.Where(r => r.Owned)];
            if (!_options.DryRun)
            {
                try
                {
                    await writer.RevokeAsync(id, owned, cancellationToken).ConfigureAwait(false);
                }
                catch (SecurityGroupConflictException)
                {
                    // Another removal at once revoked some first: revoke what is left, once.
                    state = await SecurityGroupReader.ReadAsync(_ec2, group, _options.Name, cancellationToken).ConfigureAwait(false);
                    await Revoked(() => writer.RevokeAsync(id, [.. state.Rules.Where(r => r.Owned)], cancellationToken)).ConfigureAwait(false);
                }
            }

            changes.Add(new GroupPlan(state, [], owned, []).ToChange());
        }

        return new AwsSecurityGroupReport(changes);
    }

    private static async Task Revoked(Func<Task> revoke)
    {
        try
        {
            await revoke().ConfigureAwait(false);
        }
        catch (SecurityGroupConflictException ex)
        {
            throw new AwsSyncException($"{ex.Message}: the group kept changing under the removal (another run at once?); run it again", ex);
        }
    }

    /// <summary>
    /// The groups given (each described: an unknown one fails here, before any change), else those found
    /// (<see cref="SecurityGroupReader.FindAsync"/>: by a reference to one of <paramref name="ownLists"/>, the runner's state, or a whole seal).
    /// </summary>
    internal async Task<IReadOnlyList<GroupRef>> GroupsAsync(IReadOnlyCollection<string> ownLists, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> ids = _options.GroupIds.Count > 0
            ? _options.GroupIds
            : await SecurityGroupReader.FindAsync(_ec2, _options.Name, ownLists, _options.KnownGroups, _options.Warn, cancellationToken).ConfigureAwait(false);
        return ids.Count == 0 ? [] : await SecurityGroupReader.DescribeAsync(_ec2, ids, cancellationToken).ConfigureAwait(false);
    }
}
