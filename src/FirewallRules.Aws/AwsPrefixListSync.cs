using Amazon.EC2;
using FirewallRules.Rules;

namespace FirewallRules.Aws;

/// <summary>
/// Keeps customer-managed prefix lists in step with a set of prefixes: one list per address family (split over more when
/// a family needs more entries than a list holds), created when absent, changed only where they differ, each change
/// carrying the version read so that a concurrent writer's change fails the call instead of being overwritten.
/// </summary>
/// <remarks>
/// <para>The EC2 client is the caller's: region, endpoint and credentials come from however it was made (the SDK's
/// standard chain for <c>new AmazonEC2Client()</c>).</para>
/// <para>Only lists tagged <c>fwrules:managed-by=fwrules</c> and <c>fwrules:name=</c><see cref="AwsPrefixListOptions.Name"/>
/// are ever changed or deleted. A list changed by someone else between read and write is read again, up to
/// <see cref="AwsPrefixListOptions.Attempts"/> times. When a change takes several calls and one fails after the first,
/// the list is restored to the version read: every list ends with its old entries or its new ones.</para>
/// </remarks>
/// <example>
/// <code>
/// using var ec2 = new AmazonEC2Client();
/// var sync = new AwsPrefixListSync(ec2, new() { Name = "datadog-logs" });
/// AwsPrefixListReport report = await sync.SyncAsync(RuleSet.For(Section.Logs).Prefixes, cancellationToken);
/// </code>
/// </example>
public sealed class AwsPrefixListSync
{
    private readonly IAmazonEC2 _ec2;
    private readonly AwsPrefixListOptions _options;

    /// <summary>Creates a sync over <paramref name="ec2"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty or <see cref="AwsPrefixListOptions.MaxEntriesPerList"/> is outside 1 to 1000.</exception>
    public AwsPrefixListSync(IAmazonEC2 ec2, AwsPrefixListOptions options)
    {
        ArgumentNullException.ThrowIfNull(ec2);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Name);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxEntriesPerList, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxEntriesPerList, AwsPrefixListOptions.AwsMaxEntries);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Attempts, 1);
        _ec2 = ec2;
        _options = options;
    }

    /// <summary>Makes the lists hold exactly <paramref name="prefixes"/> (of the families given; lists of the others are left alone).</summary>
    /// <param name="prefixes">The prefixes to allow, both families.</param>
    /// <param name="families">The families whose lists this sync keeps.</param>
    /// <param name="cancellationToken">Stops between calls (a call in flight is answered first); a list part-way through a change is restored first.</param>
    /// <returns>What was done (or, in a dry run, would be) to each list.</returns>
    /// <exception cref="AwsSyncException">AWS refused or failed a call, or the lists kept changing under the run.</exception>
    public async Task<AwsPrefixListReport> SyncAsync(PrefixSet prefixes, AddressFamilies families, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var writer = new PrefixListWriter(_ec2, _options);
        // What each list had done to it by the attempts before, by name: the report adds up every attempt.
        var earlier = new Dictionary<string, AwsPrefixListChange>(StringComparer.Ordinal);
        for (int attempt = 1; ; attempt++)
        {
            IReadOnlyList<OwnedPrefixList> owned = await PrefixListReader.ReadAsync(_ec2, _options.Name, cancellationToken).ConfigureAwait(false);
            List<PrefixListPlan> plans = Plan(prefixes, families, owned);
            if (_options.DryRun)
            {
                return new AwsPrefixListReport([.. plans.Select(p => p.ToChange())], attempt);
            }

            writer.LastAttempt = attempt == _options.Attempts;
            var done = new List<AwsPrefixListChange>();
            try
            {
                // Lists no longer needed go last, after every other list holds its new entries.
                foreach (PrefixListPlan plan in plans.OrderBy(p => p.Delete))
                {
                    (string id, long version) = plan.Delete && _options.DeferDeletes
                        ? (plan.Existing!.Id, plan.Existing.Version)
                        : await writer.ApplyAsync(plan, cancellationToken).ConfigureAwait(false);
                    AwsPrefixListChange change = plan.ToChange() with { Id = id, Version = version };
                    done.Add(earlier.Remove(change.Name, out AwsPrefixListChange? before) ? before.Then(change) : change);
                }

                done.AddRange(earlier.Values);
                return new AwsPrefixListReport(done, attempt);
            }
            catch (PrefixListConflictException) when (attempt < _options.Attempts)
            {
                foreach (AwsPrefixListChange change in done)
                {
                    earlier[change.Name] = change;
                }

                // Runs that met stay apart on the next read: a pause that grows, with some jitter.
                await Task.Delay(TimeSpan.FromMilliseconds((200 * attempt) + Random.Shared.Next(300)), cancellationToken).ConfigureAwait(false);
            }
            catch (PrefixListConflictException ex)
            {
                throw new AwsSyncException($"the prefix lists named {_options.Name} changed under each of {attempt} attempts (another sync, or a hand edit); " +
                    $"the last: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Deletes every list this sync owns under its name (a rule still referencing one makes AWS refuse).</summary>
    /// <returns>The lists deleted.</returns>
    /// <exception cref="AwsSyncException">
    /// A list tagged with the name is not one fwrules made (its family's sealed grace record does not name it): refused before any
    /// deletion. Or AWS refused a deletion; the lists before it are gone, the rest are left.
    /// </exception>
    public async Task<AwsPrefixListReport> RemoveAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<OwnedPrefixList> owned = await PrefixListReader.ReadAsync(_ec2, _options.Name, cancellationToken).ConfigureAwait(false);
        PrefixListVouch.CheckRemovable(owned, _options.Name);
        var writer = new PrefixListWriter(_ec2, _options);
        var done = new List<AwsPrefixListChange>();
        foreach (OwnedPrefixList list in owned)
        {
            if (!_options.DryRun)
            {
                await writer.DeleteAsync(list, cancellationToken).ConfigureAwait(false);
            }

            done.Add(new AwsPrefixListChange(list.Name, list.Id, list.Family, AwsListAction.Deleted, [], list.Entries, 0, 0));
        }

        return new AwsPrefixListReport(done, 1);
    }

    /// <summary>Deletes the lists <paramref name="changes"/> reports deleted (left in place by <see cref="AwsPrefixListOptions.DeferDeletes"/>).</summary>
    internal async Task DeleteAsync(IEnumerable<AwsPrefixListChange> changes, CancellationToken cancellationToken)
    {
        foreach (AwsPrefixListChange list in changes.Where(c => c.Action == AwsListAction.Deleted && c.Id is not null))
        {
            try
            {
                await AwsCall.ChangeAsync($"delete prefix list {list.Id} ({list.Name})",
                    token => _ec2.DeleteManagedPrefixListAsync(new() { PrefixListId = list.Id }, token), cancellationToken).ConfigureAwait(false);
            }
            catch (AwsSyncException)
            {
                // Another run at once deleted it first: done; anything else stands.
                if (await ExistsAsync(list.Id!, cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }
            }
        }
    }

    private async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            Amazon.EC2.Model.ManagedPrefixList list = await PrefixListReader.DescribeAsync(_ec2, id, cancellationToken).ConfigureAwait(false);
            return list.State is not { } state || !state.Value.StartsWith("delete", StringComparison.Ordinal);
        }
        catch (AwsSyncException)
        {
            return false;
        }
    }

    private List<PrefixListPlan> Plan(PrefixSet prefixes, AddressFamilies families, IReadOnlyList<OwnedPrefixList> owned)
    {
        var plans = new List<PrefixListPlan>();
        foreach (AddressFamilies family in (AddressFamilies[])[AddressFamilies.IPv4, AddressFamilies.IPv6])
        {
            if ((families & family) != 0)
            {
                PrefixSet wanted = family == AddressFamilies.IPv4 ? prefixes.IPv4 : prefixes.IPv6;
                plans.AddRange(PrefixListPlanner.Plan(_options.Name, family, [.. wanted], [.. owned.Where(l => l.Family == family)], _options.MaxEntriesPerList));
            }
        }

        return plans;
    }
}
