using Amazon.EC2;
using FirewallRules.Aws;
using FirewallRules.Fetching;
using FirewallRules.IO;
using FirewallRules.Notices;
using FirewallRules.Sync;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// One account sync run, with the host sync's contract: the lock, the snapshot store's vetting (an older or shrunk
/// document is refused before anything in the account is touched), the keep period for prefixes Datadog stops
/// publishing, and the state that remembers when each prefix was last published.
/// </summary>
/// <remarks>
/// The state lives in <c>STATE/aws/NAME/</c> (<c>state.json</c> and <c>sync.lock</c>), apart from the host sync's. The lock
/// keeps two runs on one machine apart; runs on two machines are kept apart by the lists' versions, which AWS checks.
/// What is applied is read back from the account on every run, so a change by hand or a run killed part-way is
/// repaired by the next run.
/// </remarks>
internal sealed partial class AwsAccountSync(AwsSyncSettings settings, string stateDirectory, SnapshotStore store, IpRangesClient client, IAmazonEC2 ec2)
{
    /// <summary>The region the client works in (the state is refused when another region's): its system name.</summary>
    public required string Region { get; init; }

    /// <summary>
    /// Asks AWS which account the credentials belong to (STS <c>GetCallerIdentity</c>); null to learn it from the lists alone
    /// (the owner of those read, or of one this run made).
    /// </summary>
    public Func<CancellationToken, Task<string>>? CallerAccount { get; init; }

    /// <summary>The account this run works in, once known (for the lines of a stopped run); null before, or when it cannot be learnt.</summary>
    public string? Account { get; private set; }

    /// <summary>The clock for the keep period and the lock wait.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long to wait for another run's lock.</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where to record a change notice when the version changes; null for none.</summary>
    public NoticeOutbox? Outbox { get; init; }

    /// <summary>Where a warning goes (a grace record on the lists that is missing or unreadable); null to drop them.</summary>
    public Action<string>? Warn { get; init; }

    /// <summary>Only work out the plan: nothing in the account changes and the state is not written.</summary>
    public bool DryRun { get; init; }

    /// <summary>The most entries per list before a family is split (AWS allows 1000).</summary>
    public int MaxEntriesPerList { get; init; } = AwsPrefixListOptions.AwsMaxEntries;

    /// <summary>The security groups to keep too (<c>-f aws-sg</c>); null for the prefix lists only.</summary>
    public AwsSecurityGroupSyncOptions? Groups { get; init; }

    /// <summary>With <see cref="Groups"/>: one rule per port and CIDR instead of references to the prefix lists (which are then left alone).</summary>
    public bool CidrRules { get; init; }

    /// <summary>
    /// Revokes every rule this sync owns under its name (in the groups given, else wherever found), then deletes every prefix
    /// list it owns (for users who stop using it); fetches nothing.
    /// </summary>
    /// <exception cref="FirewallSyncException">The lock stayed taken.</exception>
    /// <exception cref="AwsSyncException">AWS refused a deletion (a rule still references the list); the lists before it are gone.</exception>
    public async Task<(AwsPrefixListReport Lists, AwsSecurityGroupReport Groups)> RemoveAsync(CancellationToken cancellationToken)
    {
        using FileLock held = await SyncLock.TakeAsync(Path.Combine(stateDirectory, "aws", settings.ListName), LockWait, TimeProvider, cancellationToken)
            .ConfigureAwait(false);
        // A list fwrules cannot vouch for refuses the whole removal before any change (a dry run of the lists reads and checks them);
        // then the rules: AWS refuses to delete a list a rule still references.
        AwsPrefixListReport vouched =
            await new AwsPrefixListSync(ec2, new AwsPrefixListOptions { Name = settings.ListName, DryRun = true }).RemoveAsync(cancellationToken).ConfigureAwait(false);
        // Without --group-id, only the groups the lists, this runner's state or a whole seal vouch for: a description alone brings no group in.
        AwsSecurityGroupReport groups = await new AwsSecurityGroupSync(ec2, (Groups ?? new() { Name = settings.ListName }) with
            {
                DryRun = DryRun, KnownGroups = KnownGroups(Path.Combine(stateDirectory, "aws", settings.ListName)), Warn = AwsGroupGrace.Advised(Once()),
            })
            .RemoveAsync([.. vouched.Lists.Select(l => l.Id).OfType<string>()], cancellationToken).ConfigureAwait(false);
        AwsPrefixListReport lists =
            await new AwsPrefixListSync(ec2, new AwsPrefixListOptions { Name = settings.ListName, DryRun = DryRun }).RemoveAsync(cancellationToken).ConfigureAwait(false);
        if (!DryRun)
        {
            // The groups and lists are no longer the name's: a later sync without --group-id must not find them by this state.
            var stateFile = new SyncStateFile(Path.Combine(stateDirectory, "aws", settings.ListName));
            SyncState state = stateFile.Read(settings.Site);
            (state.Groups, state.Lists) = (null, null);
            await stateFile.WriteAsync(state, CancellationToken.None).ConfigureAwait(false);
        }

        return (lists, groups);
    }

    /// <summary>Runs once.</summary>
    /// <exception cref="FirewallSyncException">The lock stayed taken or the state is unusable.</exception>
    /// <exception cref="SnapshotRefusedException">The fetched document was refused (older, shrunk); nothing was touched.</exception>
    /// <exception cref="AwsSyncException">AWS refused or failed a change; every list holds its old entries or its new.</exception>
    /// <exception cref="AccountStoppedException">Stopped (SIGTERM, SIGINT): it says what the account holds, read again.</exception>
    public async Task<AwsAccountReport> RunAsync(CancellationToken cancellationToken)
    {
        var progress = new Progress();
        try
        {
            return await RunOnceAsync(progress, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested && ex is not AccountStoppedException)
        {
            throw progress.Read is null
                ? new AccountStoppedException(StoppedAccount.BeforeAnyChange(!CidrRules, Groups is not null), ex)
                : await StoppedAsync(progress.Read, progress, string.Empty, ex).ConfigureAwait(false);
        }
        catch (AwsSyncException ex) when (cancellationToken.IsCancellationRequested && progress.Read is not null)
        {
            // Putting a list back failed while stopping: the line names that failure, then reads the account back as after
            // any stop (the failure's own reading of one list knows neither the new document nor the groups).
            throw await StoppedAsync(progress.Read, progress, StoppedAccount.FailedWhileStopping(ex), ex).ConfigureAwait(false);
        }
    }

    /// <summary>A stop after the change began: <paramref name="failed"/>, then the lists and the groups, read again.</summary>
    private async Task<AccountStoppedException> StoppedAsync(IReadOnlyList<OwnedPrefixList> read, Progress progress, string failed, Exception ex)
    {
        string lists = CidrRules ? string.Empty
            : await StoppedAccount.ReadAgainAsync(ec2, settings.ListName, read, progress.Wanted, settings.Families, MaxEntriesPerList, progress.Version)
                .ConfigureAwait(false);
        string groups = Groups is null ? string.Empty
            : await StoppedAccount.GroupsAgainAsync(ec2, _groups ?? Groups, settings.ListName, [.. read.Select(l => l.Id)], progress.Groups).ConfigureAwait(false);
        return new AccountStoppedException(failed + lists + groups + StoppedAccount.Next, ex);
    }

    /// <summary>How far a run got: set just before its first change, with what it read and what it wants.</summary>
    private sealed class Progress
    {
        public IReadOnlyList<OwnedPrefixList>? Read { get; set; }

        public PrefixSet Wanted { get; set; } = PrefixSet.Empty;

        public long Version { get; set; }

        /// <summary>With groups: the groups' plan made before the first change (a dry run's report).</summary>
        public AwsSecurityGroupReport? Groups { get; set; }
    }

    /// <summary>The format tagged on the lists of a prefix-list sync.</summary>
    private const string PrefixListFormat = Emitters.Aws.AwsFormats.PrefixListSyncFormat;

    private string Format => Groups is null ? PrefixListFormat : AwsSecurityGroupSyncOptions.Format;

    /// <summary>
    /// Refuses, before any change, lists under this name that a sync of the other format keeps (their format tag): each
    /// would replace the other's entries on every run. Lists without the tag (an earlier release's) are this sync's.
    /// </summary>
    /// <exception cref="AwsSyncException">Another format's lists.</exception>
    private void CheckOwner(IReadOnlyList<OwnedPrefixList> read)
    {
        if (read.FirstOrDefault(l => l.Tags.TryGetValue(AwsTags.Format, out string? f) && f != Format) is { } other)
        {
            string format = other.Tags[AwsTags.Format];
            throw new AwsSyncException($"prefix list {other.Name} ({other.Id}) is kept by another fwrules sync, -f {format} --name {settings.ListName} " +
                $"(its tag {AwsTags.Format}={format}): two syncs of one list replace each other's entries on every run; give this sync another --name, " +
                $"or stop that sync and delete what it made (fwrules sync -f {format} --name {settings.ListName} --remove); the account was left as it was");
        }
    }

    /// <summary>
    /// The name's lists, with what their record's versions held (<see cref="RecordedEntries"/>): they carry the grace record every runner
    /// shares; with <c>--cidr-rules</c> there are none, and the owned rules' descriptions carry it (<see cref="RuleGraceRecord"/>).
    /// </summary>
    private async Task<IReadOnlyList<OwnedPrefixList>> ReadListsAsync(SyncState state, CancellationToken cancellationToken) => CidrRules ? [] :
        await RecordedEntries.ReadAsync(ec2, await PrefixListReader.ReadAsync(ec2, settings.ListName, cancellationToken, state.Lists).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);

    private async Task<AwsAccountReport> RunOnceAsync(Progress progress, CancellationToken cancellationToken)
    {
        using SyncMetrics.SyncRun run = SyncMetrics.Start(SyncMetrics.Aws);
        string name = settings.ListName;
        string directory = Path.Combine(stateDirectory, "aws", name);
        using FileLock held = await SyncLock.TakeAsync(directory, LockWait, TimeProvider, cancellationToken).ConfigureAwait(false);
        (AwsStateTarget? target, string? unknown) = await CheckTargetAsync(directory, cancellationToken).ConfigureAwait(false);
        var stateFile = new SyncStateFile(directory);
        SyncState state = stateFile.Read(settings.Site);
        SnapshotUpdate update = await store.UpdateAsync(client, settings.Site, force: false, cancellationToken).ConfigureAwait(false);
        if (Outbox is not null)
        {
            await Outbox.RecordAsync(store, settings.Site, TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        IpRangesDocument document = update.Current;
        IReadOnlyList<string> sections = SyncRules.SelectSections(document, settings.Sections);
        Dictionary<string, PrefixSet> published = sections.ToDictionary(s => s, s => document[s].Prefixes, StringComparer.Ordinal);
        IReadOnlyList<OwnedPrefixList> read = await ReadListsAsync(state, cancellationToken).ConfigureAwait(false);
        CheckOwner(read);
        PrefixSet all = published.Values.Aggregate(PrefixSet.Empty, (union, p) => union.Union(p));
        PrefixListVouch.Check(read, name, all, SyncStateFile.LastSeen(state));
        _groups = await AwsGroupGrace.ResolveAsync(ec2, Groups, state.Groups, CidrRules ? [] : [.. read.Select(l => l.Id)], Warned, cancellationToken).ConfigureAwait(false);
        string? account = Account ??= read.Select(l => l.OwnerId).FirstOrDefault(o => o is not null);
        target?.Check(directory, Region, account);
        if (account is null && target?.Account is { } recorded)
        {
            // No list to read the owner from, and STS did not say: the state's account cannot be checked, so nothing is changed.
            throw new AwsSyncException($"the sync state {directory} was written for {AwsStateTarget.Describe(Region, recorded)}, and this run found no prefix " +
                $"list to learn its own account from ({unknown}): it cannot tell whether the prefixes the state keeps in grace are this account's; " +
                "allow the call, or give this account its own --state; the account was left as it was");
        }

        DateTimeOffset now = TimeProvider.GetUtcNow();
        Dictionary<string, Dictionary<System.Net.IPNetwork, DateTimeOffset>> lastSeen =
            await SharedLastSeenAsync(state, document, read, sections, all, now, Warned, cancellationToken).ConfigureAwait(false);
        (RetainedPrefixes retained, IReadOnlyList<System.Net.IPNetwork> cut) = Retain(published, lastSeen, read, now);
        RuleSet rules = Aws.GraceRecord.WithUnclaimed(SyncRules.Build(document, sections, retained.Effective, settings.SectionPorts),
            retained.Effective.GetValueOrDefault(Aws.GraceRecord.Unclaimed));
        (progress.Read, progress.Wanted, progress.Version) = (read, rules.Prefixes, document.Version);
        (AwsPrefixListReport applied, AwsSecurityGroupReport? groups) = await ApplyAsync(document.Version, rules, progress, cancellationToken).ConfigureAwait(false);
        int unrecorded = DryRun ? 0 : await RecordAsync(applied, read, retained.LastSeen, rules, all, now, cancellationToken).ConfigureAwait(false);
        if (!DryRun)
        {
            state.Source = settings.Site.IpRangesUri.AbsoluteUri;
            state.Published = SyncStateFile.Serialize(retained.LastSeen);
            state.Lists = [.. applied.Lists.Where(l => l.Action != AwsListAction.Deleted && l.Id is not null).Select(l => l.Id!)];
            state.Groups = groups is null ? state.Groups : [.. groups.Groups.Select(g => g.GroupId)];
            await stateFile.WriteAsync(state, CancellationToken.None).ConfigureAwait(false);
            Account = account ??= await AccountAsync(applied).ConfigureAwait(false) ?? target?.Account;
            await AwsStateTarget.WriteAsync(directory, new AwsStateTarget(Region, account), CancellationToken.None).ConfigureAwait(false);
        }

        return run.Completed(
            new AwsAccountReport(document, rules, name, applied, retained.Kept) { Groups = groups, Unrecorded = unrecorded, Cut = cut, Region = Region, Account = account },
            changed: !applied.UpToDate || groups is { UpToDate: false },
            DryRun);
    }

    /// <summary>
    /// The keep period applied to <paramref name="published"/> and <paramref name="lastSeen"/>, without the kept prefixes the lists'
    /// grace record cannot hold (the oldest, returned as cut): the lists never keep a prefix the record leaves out, which every
    /// runner would then take for one the last run published and keep past its period. The prefixes the record could give no
    /// section are kept beside the sections' (<see cref="Aws.GraceRecord.Unclaimed"/>).
    /// </summary>
    private (RetainedPrefixes Retained, IReadOnlyList<System.Net.IPNetwork> Cut) Retain(Dictionary<string, PrefixSet> published,
        Dictionary<string, Dictionary<System.Net.IPNetwork, DateTimeOffset>> lastSeen, IReadOnlyList<OwnedPrefixList> read, DateTimeOffset now)
    {
        Dictionary<string, PrefixSet> graced = lastSeen.ContainsKey(Aws.GraceRecord.Unclaimed)
            ? new(published, StringComparer.Ordinal) { [Aws.GraceRecord.Unclaimed] = PrefixSet.Empty } : published;
        RetainedPrefixes retained = Retention.Apply(graced, lastSeen, now, settings.KeepRemoved);
        IReadOnlyList<System.Net.IPNetwork> cut = CidrRules ? [] : Aws.GraceRecord.Overflow(retained.LastSeen, read, settings.Families, now);
        if (cut.Count == 0)
        {
            return (retained, cut);
        }

        HashSet<System.Net.IPNetwork> gone = [.. cut];
        var kept = lastSeen.ToDictionary(s => s.Key, s => s.Value.Where(e => !gone.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value), StringComparer.Ordinal);
        return (Retention.Apply(graced, kept, now, settings.KeepRemoved), cut);
    }

    /// <summary>
    /// The state's target, checked against the region and, when STS names it, the account: before anything is fetched or
    /// changed, and on a first run (no list to read its owner from) as on the next. With why STS did not name it, when it did not.
    /// </summary>
    private async Task<(AwsStateTarget? Target, string? Unknown)> CheckTargetAsync(string directory, CancellationToken cancellationToken)
    {
        AwsStateTarget? target = AwsStateTarget.Read(directory);
        target?.Check(directory, Region, account: null);
        if (CallerAccount is null)
        {
            return (target, "the account was not asked of STS");
        }

        try
        {
            Account = await CallerAccount(cancellationToken).ConfigureAwait(false);
        }
        catch (AwsSyncException ex)
        {
            return (target, ex.Message);
        }

        target?.Check(directory, Region, Account);
        return (target, null);
    }

    /// <summary>The account that owns a list this run made (none was there to read before it); null when it kept none.</summary>
    private async Task<string?> AccountAsync(AwsPrefixListReport applied)
    {
        if (applied.Lists.FirstOrDefault(l => l.Action != AwsListAction.Deleted && l.Id is not null)?.Id is not { } kept)
        {
            return null;
        }

        try
        {
            Amazon.EC2.Model.ManagedPrefixList list = await PrefixListReader.DescribeAsync(ec2, kept, CancellationToken.None).ConfigureAwait(false);
            return string.IsNullOrEmpty(list.OwnerId) ? null : list.OwnerId;
        }
        catch (AwsSyncException)
        {
            // Only the lines and the state's record miss the account: the change is made.
            return null;
        }
    }

    /// <summary>
    /// This runner's state with the account's grace record merged in (the later time of each prefix): the lists' tags, or
    /// with <c>--cidr-rules</c> the owned rules' descriptions.
    /// </summary>
    private async Task<Dictionary<string, Dictionary<System.Net.IPNetwork, DateTimeOffset>>> SharedLastSeenAsync(
        SyncState state, IpRangesDocument document, IReadOnlyList<OwnedPrefixList> read, IReadOnlyList<string> sections, PrefixSet all, DateTimeOffset now,
        Action<string> warn, CancellationToken cancellationToken)
    {
        var broken = new List<string>();
        Dictionary<string, Dictionary<System.Net.IPNetwork, DateTimeOffset>> lastSeen = Aws.GraceRecord.Merge(SyncStateFile.LastSeen(state), read, sections, all,
            await VettedPrefixes.ReadAsync(store, settings.Site, document, sections, cancellationToken).ConfigureAwait(false), broken);
        // Whatever a record or a state names, an address that is never a place to send data to is never kept in a list.
        foreach (Dictionary<System.Net.IPNetwork, DateTimeOffset> times in lastSeen.Values)
        {
            foreach (System.Net.IPNetwork special in times.Keys.Where(p => !Cidr.SpecialAddresses.All.Intersect(PrefixSet.Create([p])).IsEmpty).ToList())
            {
                times.Remove(special);
            }
        }

        broken.ForEach(line => Warn?.Invoke(line));
        if (CidrRules && _groups is not null)
        {
            // With --cidr-rules no list is the sync's: a rule is its own by its description, and its time is read where the group's seal is whole.
            await AwsGroupGrace.MergeAsync(ec2, _groups, lastSeen, all, now, warn, cancellationToken).ConfigureAwait(false);
        }

        return lastSeen;
    }

    /// <summary>Writes the grace record back into the account after the change.</summary>
    /// <returns>The entries holding a kept prefix the lists' record left out (counted as the lists hold them).</returns>
    private async Task<int> RecordAsync(AwsPrefixListReport applied, IReadOnlyList<OwnedPrefixList> read,
        IReadOnlyDictionary<string, Dictionary<System.Net.IPNetwork, DateTimeOffset>> lastSeen, RuleSet rules, PrefixSet all, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (CidrRules)
        {
            if (_groups is not null)
            {
                await AwsGroupGrace.RecordAsync(ec2, _groups, lastSeen, all, now, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }

        PrefixSet left = PrefixSet.Create(await WriteRecordAsync(applied, lastSeen, now, cancellationToken).ConfigureAwait(false));
        return left.IsEmpty ? 0 : rules.Prefixes.Count(entry => !PrefixSet.Create([entry]).Intersect(left).IsEmpty);
    }

    /// <summary>
    /// Writes the lists' grace record from the lists read again just before (<see cref="Aws.GraceRecord.Held"/>): another runner at once
    /// may have changed them since this run read them. Tags carry no version, so the record two runners write is the last one's, whole:
    /// when the lists changed while it was written (read again after), it is written again from them, up to <see cref="SettleAttempts"/> times.
    /// </summary>
    /// <returns>The kept prefixes the record could not hold.</returns>
    private async Task<IReadOnlyList<System.Net.IPNetwork>> WriteRecordAsync(AwsPrefixListReport applied,
        IReadOnlyDictionary<string, Dictionary<System.Net.IPNetwork, DateTimeOffset>> lastSeen, DateTimeOffset now, CancellationToken cancellationToken)
    {
        static string Versions(IReadOnlyList<OwnedPrefixList> lists) => string.Join(' ', lists.Select(l => $"{l.Id}@{l.Version}").Order(StringComparer.Ordinal));
        IReadOnlyList<OwnedPrefixList> current = await PrefixListReader.ReadAsync(ec2, settings.ListName, cancellationToken).ConfigureAwait(false);
        for (int attempt = 1; ; attempt++)
        {
            IReadOnlyList<System.Net.IPNetwork> left = await Aws.GraceRecord.WriteAsync(ec2, settings.ListName, applied.Lists, current,
                Aws.GraceRecord.Held(lastSeen, current, now), now, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<OwnedPrefixList> after = await PrefixListReader.ReadAsync(ec2, settings.ListName, cancellationToken).ConfigureAwait(false);
            if (attempt == SettleAttempts || Versions(after) == Versions(current))
            {
                return left;
            }

            current = after;
        }
    }

    /// <summary>How many times a run applies and reads back before it gives up on another run changing the account at once. Default: 5.</summary>
    internal int SettleAttempts { get; init; } = 5;

}
