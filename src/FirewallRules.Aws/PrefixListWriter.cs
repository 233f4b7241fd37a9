using System.Globalization;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using FirewallRules.Rules;

namespace FirewallRules.Aws;

/// <summary>
/// Applies one list's plan: a resize in its own call (grown before entries are added, shrunk after they are removed),
/// then the entries in calls of at most 100 additions and 100 removals, each carrying the version the previous one made
/// and waited on until AWS reports it complete. When a call fails after the first, the list is restored to the version
/// read, so it holds the old entries or the new, never a part.
/// </summary>
internal sealed class PrefixListWriter(IAmazonEC2 ec2, AwsPrefixListOptions options)
{
    /// <summary>AWS's most entries added, and removed, by one call.</summary>
    public const int MaxEntriesPerCall = 100;

    /// <summary>True on the run's last attempt: a list changed by someone else part-way is then restored, not read again.</summary>
    public bool LastAttempt { get; set; }

    /// <summary>Applies <paramref name="plan"/>; returns the list's id and the version this run left it at (another writer's change moves it past).</summary>
    /// <exception cref="PrefixListConflictException">The list changed after it was read and nothing was written to it.</exception>
    /// <exception cref="AwsSyncException">AWS refused or failed a call; the list was left as read (or restored to it).</exception>
    public async Task<(string Id, long Version)> ApplyAsync(PrefixListPlan plan, CancellationToken cancellationToken)
    {
        if (plan.Existing is not { } list)
        {
            return await CreateAsync(plan, cancellationToken).ConfigureAwait(false);
        }

        if (plan.Delete)
        {
            await DeleteAsync(list, cancellationToken).ConfigureAwait(false);
            return (list.Id, list.Version);
        }

        if (plan.Action == AwsListAction.Unchanged)
        {
            // The entries stand, but the tag says which document they now come from.
            if (list.DocumentVersion != options.DocumentVersion?.ToString(CultureInfo.InvariantCulture)
                || (options.Format is { } format && list.Tags.GetValueOrDefault(AwsTags.Format) != format))
            {
                await TagAsync(list.Id, cancellationToken).ConfigureAwait(false);
            }

            return (list.Id, list.Version);
        }

        long version;
        try
        {
            if (plan.MaxEntries > list.MaxEntries)
            {
                await ResizeAsync(list, list.Version, plan.MaxEntries, cancellationToken).ConfigureAwait(false);
            }

            version = await ApplyBatchesAsync(list, Batches(list.Entries.Count, Math.Max(plan.MaxEntries, list.MaxEntries), plan.Remove, plan.Add),
                cancellationToken).ConfigureAwait(false);
            if (plan.MaxEntries < list.MaxEntries)
            {
                version = await ResizeAsync(list, version, plan.MaxEntries, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped between the calls, or during one (its answer awaited): the list goes back to the version read before the
            // stop is reported.
            await RestoreStoppedAsync(list).ConfigureAwait(false);
            throw;
        }

        await TagAsync(list.Id, cancellationToken).ConfigureAwait(false);
        return (list.Id, version);
    }

    /// <summary>
    /// After a stop: when the list moved past the version read (a call of this run went through; one in flight when the
    /// stop came was answered first, see <see cref="AwsCall.ChangeAsync"/>), puts it back, reading it again when another
    /// writer's change lands in between.
    /// </summary>
    /// <exception cref="AwsSyncException">The restore failed: the list holds part of the change until the next run.</exception>
    private async Task RestoreStoppedAsync(OwnedPrefixList list)
    {
        string what = $"prefix list {list.Id} ({list.Name})";
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                ManagedPrefixList now = await WaitAsync(list.Id, CancellationToken.None).ConfigureAwait(false);
                if (now.Version is not long current || current <= list.Version)
                {
                    return;
                }

                await ec2.RestoreManagedPrefixListVersionAsync(new() { PrefixListId = list.Id, PreviousVersion = list.Version, CurrentVersion = current },
                    CancellationToken.None).ConfigureAwait(false);
                await WaitAsync(list.Id, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (AmazonEC2Exception ex) when (attempt < 5 && ex.ErrorCode is "PrefixListVersionMismatch" or "IncorrectState")
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AmazonServiceException or AwsSyncException || AwsCall.IsUnanswered(ex))
            {
                string failed = $"restoring {what} to version {list.Version} failed ({AwsCall.Describe(ex)})";
                throw new AwsSyncException($"stopped part-way; {failed}: " + await HoldsAsync(list).ConfigureAwait(false), ex) { Failure = failed };
            }
        }
    }

    /// <summary>Deletes a list fwrules owns (its references must be gone first).</summary>
    public Task DeleteAsync(OwnedPrefixList list, CancellationToken cancellationToken) =>
        AwsCall.ChangeAsync($"delete prefix list {list.Id} ({list.Name})",
            token => ec2.DeleteManagedPrefixListAsync(new() { PrefixListId = list.Id }, token), cancellationToken);

    /// <summary>The calls that take a list from <paramref name="count"/> entries to its new ones without ever holding more than <paramref name="max"/>:
    /// removals go first.</summary>
    public static IReadOnlyList<(IPNetwork[] Remove, IPNetwork[] Add)> Batches(int count, int max, IReadOnlyList<IPNetwork> remove, IReadOnlyList<IPNetwork> add)
    {
        var batches = new List<(IPNetwork[] Remove, IPNetwork[] Add)>();
        int removed = 0, added = 0;
        while (removed < remove.Count || added < add.Count)
        {
            int r = Math.Min(MaxEntriesPerCall, remove.Count - removed);
            int a = Math.Min(Math.Min(MaxEntriesPerCall, add.Count - added), max - (count - r));
            if (r == 0 && a <= 0)
            {
                throw new AwsSyncException(string.Create(CultureInfo.InvariantCulture, $"{add.Count - added} more entries do not fit a list of {max}"));
            }

            a = Math.Max(a, 0);
            batches.Add(([.. remove.Skip(removed).Take(r)], [.. add.Skip(added).Take(a)]));
            removed += r;
            added += a;
            count += a - r;
        }

        return batches;
    }

    private async Task<(string Id, long Version)> CreateAsync(PrefixListPlan plan, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<(IPNetwork[] Remove, IPNetwork[] Add)> batches = Batches(0, plan.MaxEntries, [], plan.Add);
        // The create is not given up on when a stop comes (CancellationToken.None, bounded by the client's timeout): a list
        // AWS made after its answer was given up on would stay part-filled with no id to delete it by. Its answer is
        // awaited, then the stop is seen below and the list is deleted.
        CreateManagedPrefixListResponse created = await AwsCall.RunAsync($"create prefix list {plan.Name}", () => ec2.CreateManagedPrefixListAsync(new()
        {
            PrefixListName = plan.Name,
            AddressFamily = plan.Family == AddressFamilies.IPv6 ? "IPv6" : "IPv4",
            MaxEntries = plan.MaxEntries,
            Entries = [.. batches[0].Add.Select(p => new AddPrefixListEntry { Cidr = p.ToString() })],
            TagSpecifications = [new() { ResourceType = ResourceType.PrefixList, Tags = Tags(plan) }],
        }, CancellationToken.None)).ConfigureAwait(false);
        string id = created.PrefixList.PrefixListId;
        long version;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            ManagedPrefixList state = await WaitAsync(id, cancellationToken).ConfigureAwait(false);
            var list = new OwnedPrefixList(id, plan.Name, plan.Family, plan.Part, state.Version ?? 1, plan.MaxEntries, [.. batches[0].Add]);
            version = await ApplyBatchesAsync(list, batches.Skip(1).ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsSyncException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // The list did not exist before this run: deleting it is putting it back.
            await DeleteCreatedAsync(id, plan, ex).ConfigureAwait(false);
            throw;
        }

        return (id, version);
    }

    /// <summary>Deletes a list this run created and could not fill; a failure is one line with what the list holds, read again.</summary>
    /// <exception cref="AwsSyncException">The delete failed: the list stays, with part of its entries, until the next run.</exception>
    private async Task DeleteCreatedAsync(string id, PrefixListPlan plan, Exception failure)
    {
        string what = $"prefix list {id} ({plan.Name})";
        try
        {
            await WaitAsync(id, CancellationToken.None).ConfigureAwait(false);
            await AwsCall.RunAsync($"delete {what}", () => ec2.DeleteManagedPrefixListAsync(new() { PrefixListId = id }, CancellationToken.None)).ConfigureAwait(false);
        }
        catch (AwsSyncException ex)
        {
            string why = failure is OperationCanceledException ? "stopped part-way" : Reason(failure);
            string holds;
            try
            {
                ManagedPrefixList now = await PrefixListReader.DescribeAsync(ec2, id, CancellationToken.None).ConfigureAwait(false);
                List<IPNetwork> entries = await PrefixListReader.EntriesAsync(ec2, id, now.Version ?? 1, CancellationToken.None).ConfigureAwait(false);
                holds = string.Create(CultureInfo.InvariantCulture, $"read again, it holds version {now.Version ?? 1}, {entries.Count} of the {plan.Add.Count} entries to be");
            }
            catch (AwsSyncException again)
            {
                holds = $"reading it again failed too ({again.Message}): it may hold part of its entries";
            }

            string failed = $"{what}, created by this run, could not be deleted ({AwsCall.Describe(ex)})";
            throw new AwsSyncException($"{why}; {failed}: {holds}; the next run reads it again and makes the whole change", failure)
            {
                Failure = failure is OperationCanceledException ? failed : $"{why}; {failed}",
            };
        }
    }

    /// <summary>Makes the calls in order; returns the version the last one made.</summary>
    private async Task<long> ApplyBatchesAsync(OwnedPrefixList list, IReadOnlyList<(IPNetwork[] Remove, IPNetwork[] Add)> batches, CancellationToken cancellationToken)
    {
        long version = list.Version;
        bool sent = false, written = false;
        for (int i = 0; i < batches.Count; i++)
        {
            try
            {
                sent = true;
                await ModifyAsync(list, version, batches[i], cancellationToken).ConfigureAwait(false);
                written = true;
                version = await WaitChangedAsync(list.Id, version, cancellationToken).ConfigureAwait(false);
            }
            catch (PrefixListConflictException) when (!written || !LastAttempt)
            {
                // Nothing written yet, or another writer is changing the list too: read it again and plan from there
                // (restoring would undo the other writer's change). On the last attempt the list is restored instead.
                throw;
            }
            catch (Exception ex) when (ex is AwsSyncException or PrefixListConflictException or AmazonEC2Exception
                && (written || (sent && ex.InnerException is { } cause && AwsCall.IsUnanswered(cause))))
            {
                // A call went through (the read that waits for it may be what failed), or one got no answer (the connection
                // lost part-way) and may have: the list is read again and put back to the version read, or the line says what it holds.
                await RestoreAsync(list, ex, cancellationToken).ConfigureAwait(false);
            }
        }

        return version;
    }

    private Task<ModifyManagedPrefixListResponse> ModifyAsync(OwnedPrefixList list, long version, (IPNetwork[] Remove, IPNetwork[] Add) batch,
        CancellationToken cancellationToken) =>
        AwsCall.ChangeAsync($"modify prefix list {list.Id} ({list.Name}) at version {version}", token => ec2.ModifyManagedPrefixListAsync(new()
        {
            PrefixListId = list.Id,
            CurrentVersion = version,
            // Given every time: a call without it must not rename (moto clears the name when it is left out).
            PrefixListName = list.Name,
            AddEntries = batch.Add.Length == 0 ? null : [.. batch.Add.Select(p => new AddPrefixListEntry { Cidr = p.ToString() })],
            RemoveEntries = batch.Remove.Length == 0 ? null : [.. batch.Remove.Select(p => new RemovePrefixListEntry { Cidr = p.ToString() })],
        }, token), cancellationToken, conflictIsRetryable: true);

    /// <summary>Resizes the list; returns its version afterwards.</summary>
    private async Task<long> ResizeAsync(OwnedPrefixList list, long version, int maxEntries, CancellationToken cancellationToken)
    {
        await AwsCall.ChangeAsync(string.Create(CultureInfo.InvariantCulture, $"resize prefix list {list.Id} ({list.Name}) to {maxEntries} entries"),
            token => ec2.ModifyManagedPrefixListAsync(new()
        {
            PrefixListId = list.Id,
            CurrentVersion = version,
            PrefixListName = list.Name,
            MaxEntries = maxEntries,
        }, token), cancellationToken, conflictIsRetryable: true).ConfigureAwait(false);
        return (await WaitAsync(list.Id, cancellationToken).ConfigureAwait(false)).Version ?? version;
    }

    /// <summary>
    /// Puts the list back to the version read, then reports the failure that made it necessary: when the list did not move
    /// past it (the call that got no answer was not carried out), that it was left as it was.
    /// </summary>
    private async Task RestoreAsync(OwnedPrefixList list, Exception failure, CancellationToken cancellationToken)
    {
        string what = $"prefix list {list.Id} ({list.Name})";
        bool moved;
        try
        {
            ManagedPrefixList now = await PrefixListReader.DescribeAsync(ec2, list.Id, CancellationToken.None).ConfigureAwait(false);
            moved = (now.Version ?? list.Version) > list.Version;
            if (moved)
            {
                await ec2.RestoreManagedPrefixListVersionAsync(new() { PrefixListId = list.Id, PreviousVersion = list.Version, CurrentVersion = now.Version },
                    CancellationToken.None).ConfigureAwait(false);
                await WaitAsync(list.Id, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is AmazonServiceException or AwsSyncException || AwsCall.IsUnanswered(ex))
        {
            string failed = $"{Reason(failure)}; restoring {what} to version {list.Version} failed too ({AwsCall.Describe(ex)})";
            throw new AwsSyncException($"{failed}: " + await HoldsAsync(list).ConfigureAwait(false), failure) { Failure = failed };
        }

        cancellationToken.ThrowIfCancellationRequested();
        string done = moved ? "was restored to version" : "was read again and holds version";
        throw new AwsSyncException(string.Create(CultureInfo.InvariantCulture, $"{Reason(failure)}; {what} {done} {list.Version}, as it was"), failure);
    }

    private static string Reason(Exception failure) => failure is PrefixListConflictException ? "the list was changed by someone else part-way" : AwsCall.Describe(failure);

    /// <summary>What a list a restore failed on holds, read again (version and entries), and what the next run does about it.</summary>
    private async Task<string> HoldsAsync(OwnedPrefixList list)
    {
        const string Next = "the next run reads it again and makes the whole change";
        try
        {
            ManagedPrefixList now = await PrefixListReader.DescribeAsync(ec2, list.Id, CancellationToken.None).ConfigureAwait(false);
            long version = now.Version ?? list.Version;
            List<IPNetwork> entries = await PrefixListReader.EntriesAsync(ec2, list.Id, version, CancellationToken.None).ConfigureAwait(false);
            return version == list.Version
                ? string.Create(CultureInfo.InvariantCulture, $"read again, it holds version {version}, {entries.Count} entries, as it was; {Next}")
                : string.Create(CultureInfo.InvariantCulture,
                    $"read again, it holds version {version}, {entries.Count} entries (version {list.Version} held {list.Entries.Count}): part of the change, in force " +
                        $"until {Next}");
        }
        catch (AwsSyncException ex)
        {
            return $"reading it again failed too ({ex.Message}): it may hold part of the change until {Next}";
        }
    }

    /// <summary>Waits for a change to complete and returns the version it made, which must follow <paramref name="version"/>.</summary>
    private async Task<long> WaitChangedAsync(string id, long version, CancellationToken cancellationToken)
    {
        ManagedPrefixList state = await WaitAsync(id, cancellationToken).ConfigureAwait(false);
        return state.Version == version + 1
            ? version + 1
            : throw new PrefixListConflictException(string.Create(CultureInfo.InvariantCulture,
                $"prefix list {id} is at version {state.Version} after our change to version {version}: someone else changed it too"));
    }

    private async Task<ManagedPrefixList> WaitAsync(string id, CancellationToken cancellationToken)
    {
        TimeSpan delay = options.PollInterval;
        DateTime deadline = DateTime.UtcNow + options.StateTimeout;
        while (true)
        {
            ManagedPrefixList list = await PrefixListReader.DescribeAsync(ec2, id, cancellationToken).ConfigureAwait(false);
            string state = list.State?.Value ?? string.Empty;
            if (state.EndsWith("-complete", StringComparison.Ordinal))
            {
                return list;
            }

            if (state.EndsWith("-failed", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                throw new AwsSyncException($"prefix list {id} is {state}{(string.IsNullOrEmpty(list.StateMessage) ? string.Empty : ": " + list.StateMessage)}");
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    /// <summary>Tags the list with the document version its entries come from, and the format that keeps it (a list of an earlier release has none).</summary>
    private Task TagAsync(string id, CancellationToken cancellationToken)
    {
        List<Tag> tags = [];
        if (options.DocumentVersion is { } version)
        {
            tags.Add(new(AwsTags.DocumentVersion, version.ToString(CultureInfo.InvariantCulture)));
        }

        if (options.Format is { } format)
        {
            tags.Add(new(AwsTags.Format, format));
        }

        return tags.Count == 0
            ? Task.CompletedTask
            : AwsCall.ChangeAsync($"tag prefix list {id}", token => ec2.CreateTagsAsync(new() { Resources = [id], Tags = tags }, token), cancellationToken);
    }

    private List<Tag> Tags(PrefixListPlan plan)
    {
        List<Tag> tags =
        [
            new(AwsTags.ManagedBy, AwsTags.ManagedByValue),
            new(AwsTags.Name, options.Name),
            new(AwsTags.Family, plan.Family.Keyword()),
            new(AwsTags.Part, plan.Part.ToString(CultureInfo.InvariantCulture)),
        ];
        if (options.Format is { } format)
        {
            tags.Add(new(AwsTags.Format, format));
        }

        if (options.DocumentVersion is { } version)
        {
            tags.Add(new(AwsTags.DocumentVersion, version.ToString(CultureInfo.InvariantCulture)));
        }

        return tags;
    }
}
