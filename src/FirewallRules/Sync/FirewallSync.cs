using System.Security.Cryptography;
using System.Text;
using FirewallRules.Advice;
using FirewallRules.Fetching;
using FirewallRules.IO;
using FirewallRules.Notices;
using FirewallRules.Ranges;
using FirewallRules.Rules;

namespace FirewallRules.Sync;

/// <summary>
/// One sync run: takes the lock, fetches the site's document into the snapshot store if it changed, decides what to
/// allow (published now, or kept after Datadog stopped publishing it), and loads it into the firewall only when the
/// kernel would change, comparing with what this host last applied and with what the kernel holds now.
/// </summary>
/// <remarks>
/// <para>The state directory holds <c>state.json</c> (when each prefix was last published, and what was applied) and
/// <c>sync.lock</c>. Every write is atomic; a run killed at any point leaves the kernel with the old rules or the new
/// (each backend applies atomically), and the next run, finding the kernel not as recorded, applies again.</para>
/// <para>A refused document (older, shrunk, invalid), a network failure, a refused check or a failed apply leaves the
/// firewall and the state as they were. A state that cannot be used (damaged, a link, unreadable) loads the newest vetted
/// copy without its grace list only into a firewall holding none of this sync's objects (a boot); a firewall holding
/// them keeps them (the run fails): a local fault never narrows the rules in force.</para>
/// <para>Only a copy the store proves it vetted (its SHA-256 as recorded) is loaded from the cache, and the state and cache
/// directories must be writable by root or the running user alone (<see cref="TrustedDirectory"/>).</para>
/// </remarks>
internal sealed partial class FirewallSync(SyncSettings settings, string stateDirectory, SnapshotStore store, IpRangesClient client, IFirewallBackend backend)
{
    /// <summary>How many times a read of the kernel whose tool is killed is tried.</summary>
    private const int ReadAttempts = 3;

    /// <summary>The clock for the keep period and the lock wait.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long to wait for another run's lock.</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where to record a change notice when the version changes; null for none.</summary>
    public NoticeOutbox? Outbox { get; init; }

    /// <summary>Where a warning goes (a prefix the state asked to keep that no vetted document published); null to drop them.</summary>
    public Action<string>? Warn { get; init; }

    /// <summary>Only work out what would change: nothing is loaded and the state is not written (the document is still fetched into the store).</summary>
    public bool DryRun { get; init; }

    /// <summary>Make no request: load the newest document of the cache (still bounded by <see cref="MaxStale"/>).</summary>
    public bool Offline { get; init; }

    /// <summary>
    /// The oldest cached copy a run falls back on when the fetch fails (or loads when offline), counted from when the
    /// upstream last confirmed it; <see cref="TimeSpan.Zero"/> for no bound.
    /// </summary>
    public TimeSpan MaxStale { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Runs once.</summary>
    /// <exception cref="FirewallSyncException">The lock stayed taken, the state belongs to another site, or the firewall refused or failed the rules.</exception>
    /// <exception cref="SnapshotRefusedException">The fetched document was refused (older, shrunk) and the cache holds no document; nothing was touched.</exception>
    /// <exception cref="IpRangesFormatException">The fetched document is not valid and the cache holds no document; nothing was touched.</exception>
    /// <exception cref="IpRangesFetchException">The fetch failed after retries and the cache holds no document; nothing was touched.</exception>
    /// <exception cref="NoUsableCachedCopyException">
    /// The newer document could not be used (or the run was offline) and the cache holds none, or its copy is older than <see cref="MaxStale"/>, or of unknown age;
    /// nothing was touched.
    /// </exception>
    /// <exception cref="Rules.RuleGenerationException">A section is missing from the document.</exception>
    /// <exception cref="IOException">The state or the cache cannot be written.</exception>
    /// <exception cref="System.Security.SecurityException">
    /// The state or cache directory is owned by another user or writable by group or others (<see cref="TrustedDirectory"/>): refused before
    /// anything is read from it (the state's by the lock, the cache's by the store); the firewall was left as it was.
    /// </exception>
    public async Task<SyncReport> RunAsync(CancellationToken cancellationToken)
    {
        using SyncMetrics.SyncRun run = SyncMetrics.Start(SyncMetrics.Host);
        using FileLock held = await SyncLock.TakeAsync(stateDirectory, LockWait, TimeProvider, cancellationToken).ConfigureAwait(false);
        var owner = new SyncOwner(backend.Target, stateDirectory);
        owner.Check();
        var stateFile = new SyncStateFile(stateDirectory);
        (SyncState state, SettingAdvice? stateProblem) = ReadState(stateFile);
        (IpRangesDocument document, CachedCopy? cached, DateTimeOffset? upstream) =
            await ObtainOrSayWhyAsync(state, stateProblem is null ? stateFile.FilePath : null, stateProblem, cancellationToken).ConfigureAwait(false);
        if (Outbox is not null && cached is null)
        {
            await Outbox.RecordAsync(store, settings.Site, TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        SyncPlan plan = await PlanAsync(document, state, upstream, cancellationToken).ConfigureAwait(false);
        plan = plan with { Report = plan.Report with { FromCache = cached, StateProblem = stateProblem } };
        await KeepRulesInForceAsync(stateProblem, plan, cancellationToken).ConfigureAwait(false);
        if (DryRun)
        {
            return run.Completed(plan.Report);
        }

        await owner.ClaimAsync(cancellationToken).ConfigureAwait(false);

        if (plan.Report.Outcome == SyncOutcome.Applied)
        {
            (bool interrupted, string? cause) = await ApplyOrReadBackAsync(plan, cancellationToken).ConfigureAwait(false);
            SyncMetrics.Applied(SyncMetrics.Host);
            state.Applied = await RecordAppliedAsync(plan).ConfigureAwait(false);
            plan = plan with { Report = plan.Report with { Interrupted = interrupted, InterruptCause = cause } };
        }

        state.Source = settings.Site.IpRangesUri.AbsoluteUri;
        if (cached is null)
        {
            // A cached copy is not a sighting: only a fetched document says what is published now.
            state.Published = SyncStateFile.Serialize(plan.Retained.LastSeen);
        }

        // The damaged file stays for the operator to look at; this run's rules hold without its grace list.
        return run.Completed(stateProblem is null ? await WriteStateAsync(stateFile, state, plan.Report).ConfigureAwait(false) : plan.Report);
    }

    /// <summary>Writes the state; a run that changed nothing and cannot write it (a full disk) says so in its report.</summary>
    /// <exception cref="FirewallSyncException">The rules were applied, but the state could not be written: the next run applies them again.</exception>
    private async Task<SyncReport> WriteStateAsync(SyncStateFile stateFile, SyncState state, SyncReport report)
    {
        try
        {
            await stateFile.WriteAsync(state, CancellationToken.None).ConfigureAwait(false);
            return report;
        }
        catch (Exception ex) when ((ex is IOException or UnauthorizedAccessException) && report.Outcome == SyncOutcome.Applied)
        {
            throw new FirewallSyncException($"the rules were applied to {backend.Target}, but {stateFile.FilePath} could not be written ({ex.Message}); the " +
                $"next run applies them again");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing was changed: the rules in force stay, and the next run with room writes the state.
            return report with { StateNotWritten = $"the state {stateFile.FilePath} could not be written ({ex.Message})" };
        }
    }

    /// <summary>
    /// Applies the plan's rules. When the run is stopped (SIGTERM, SIGINT) or a tool is killed while it applies (a stop
    /// sent to the whole process group or cgroup), nothing is assumed: the kernel is read back. Returns whether that
    /// happened and the new rules were found whole in force (then recorded as applied, as after a plain apply), and the
    /// killed tool's failure when one was (null when the run itself was stopped).
    /// </summary>
    /// <exception cref="FirewallStoppedException">Stopped, and the kernel holds the rules it held before, or neither those nor the new ones.</exception>
    private async Task<(bool Interrupted, string? Cause)> ApplyOrReadBackAsync(SyncPlan plan, CancellationToken cancellationToken)
    {
        RuleSet rules = plan.Report.Rules;
        string before = plan.Before ?? await ReadKernelAsync(rules, cancellationToken).ConfigureAwait(false);
        try
        {
            await backend.ApplyAsync(rules, plan.Loaded, cancellationToken).ConfigureAwait(false);
            return (cancellationToken.IsCancellationRequested, null);
        }
        catch (Exception ex) when (ex is OperationCanceledException || (ex is FirewallSyncException failure && (failure.ToolKilled || cancellationToken.IsCancellationRequested)))
        {
            string? cause = ex is OperationCanceledException ? null : ex.Message;
            string now = await ReadBackAsync(rules, cause).ConfigureAwait(false);
            if (backend.InForce(rules, now, before))
            {
                return (true, cause);
            }

            string target = backend.Target, holds = TargetWording.Holds(target), it = TargetWording.It(target);
            throw new FirewallStoppedException(cause, now != before
                ? $"read back, {target} {holds} neither the rules {it} held before this run nor ip-ranges version {plan.Report.Document.Version} " +
                    $"whole, and the state was left as it was: run sync again"
                : backend.Holds(rules, now)
                    ? $"read back, {target} {holds} the rules {it} held before this run; the state was left as it was"
                    : $"read back, {target} {TargetWording.Is(target)} not there, as before this run; the state was left as it was");
        }
    }

    /// <summary>The kernel's listing after a stopped apply: what is in force is what the line must say.</summary>
    /// <exception cref="FirewallStoppedException">The kernel could not be read back.</exception>
    private async Task<string> ReadBackAsync(RuleSet rules, string? cause)
    {
        try
        {
            return await ReadKernelAsync(rules, CancellationToken.None).ConfigureAwait(false);
        }
        catch (FirewallSyncException unread)
        {
            string target = backend.Target;
            throw new FirewallStoppedException(cause, $"{target} could not be read back ({unread.Message}): what {TargetWording.It(target)} " +
                $"{TargetWording.Holds(target)} is unknown, and the state was left as it was: run sync again");
        }
    }

    /// <summary>The kernel's listing of what <paramref name="rules"/> load, read again when a stop killed the reader.</summary>
    private Task<string> ReadKernelAsync(RuleSet rules, CancellationToken cancellationToken) =>
        ReadAgainIfKilledAsync(token => backend.ReadKernelAsync(rules, token), cancellationToken);

    /// <summary>
    /// A read of the kernel. One whose tool was killed is made again: a stop sent to the whole process group (systemd's stop
    /// of the unit's cgroup, a Ctrl+C) reaches the reader too, and reading changes nothing; the run then sees the stop
    /// at its next step (a cancelled token) and says what is in force, instead of failing on the reader's death.
    /// </summary>
    /// <exception cref="FirewallSyncException">The tool cannot read the firewall, or was killed <see cref="ReadAttempts"/> times.</exception>
    private static async Task<string> ReadAgainIfKilledAsync(Func<CancellationToken, Task<string>> read, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await read(cancellationToken).ConfigureAwait(false);
            }
            catch (FirewallSyncException killed) when (killed.ToolKilled && attempt < ReadAttempts)
            {
                // Killed while reading: read again.
            }
        }
    }

    /// <summary>
    /// A state that cannot be used loads rules without its grace list: only into a firewall that holds none of this sync's
    /// objects (a boot). Rules of an earlier run in force are kept as they are, since the grace list may keep prefixes they allow.
    /// </summary>
    private async Task KeepRulesInForceAsync(SettingAdvice? stateProblem, SyncPlan plan, CancellationToken cancellationToken)
    {
        if (stateProblem is not null && backend.Holds(plan.Report.Rules, await ReadKernelAsync(plan.Report.Rules, cancellationToken).ConfigureAwait(false)))
        {
            throw new FirewallSyncException(SyncAdvice.Then(stateProblem,
                $"; {backend.Target} {TargetWording.Holds(backend.Target)} the rules of an earlier run, kept as they are: loading ip-ranges " +
                    $"version {plan.Report.Document.Version} without the state's grace list could remove prefixes it keeps; the firewall was left as it was"));
        }
    }

    /// <summary>When the state could not be used and nothing could be loaded instead, its own message says why.</summary>
    private async Task<(IpRangesDocument Document, CachedCopy? Cached, DateTimeOffset? Upstream)> ObtainOrSayWhyAsync(
        SyncState state, string? statePath, SettingAdvice? stateProblem,
        CancellationToken cancellationToken)
    {
        try
        {
            return await ObtainAsync(state, statePath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (stateProblem is not null && ex is FirewallSyncException or NoUsableCachedCopyException)
        {
            throw new FirewallSyncException(SyncAdvice.Then(stateProblem, "; the firewall was left as it was"));
        }
    }

    /// <summary>
    /// The state, or a fresh one and why the file could not be used (damaged, unreadable): a run then still loads the
    /// newest vetted document, without the grace list, and leaves the file for the operator.
    /// </summary>
    private (SyncState State, SettingAdvice? Problem) ReadState(SyncStateFile stateFile)
    {
        try
        {
            return (stateFile.Read(settings.Site), null);
        }
        catch (FirewallSyncException ex) when (!ex.Message.Contains(" belongs to ", StringComparison.Ordinal))
        {
            return (new SyncState { Source = settings.Site.IpRangesUri.AbsoluteUri },
                SyncAdvice.Without(ex.Advice ?? SyncAdvice.Text(ex.Message), "; the firewall was left as it was"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (new SyncState { Source = settings.Site.IpRangesUri.AbsoluteUri }, SyncAdvice.Text($"the sync state {stateFile.FilePath} cannot be read ({ex.Message})"));
        }
    }

    /// <summary>
    /// The document to load: fetched into the store when it changed; when that fails for any reason (the fetch failed,
    /// the document was refused or is not valid, the cache cannot be written) or the run is offline, the newest copy of the
    /// store it can prove it vetted (a file that no longer hashes to its record is passed over, and the line says so), if
    /// the upstream confirmed it less than <see cref="MaxStale"/> ago.
    /// </summary>
    /// <param name="state">The state read; its confirmed time is updated by a fetch.</param>
    /// <param name="statePath">The state file; null when it could not be read: then no request is made (only a vetted copy is loaded).</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The document, the cached copy when it is one, and the upstream's Date header when the fetch brought one.</returns>
    private async Task<(IpRangesDocument Document, CachedCopy? Cached, DateTimeOffset? Upstream)> ObtainAsync(
        SyncState state, string? statePath, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        if (!Offline && statePath is not null)
        {
            try
            {
                SnapshotUpdate update = await store.UpdateAsync(client, settings.Site, force: false, cancellationToken).ConfigureAwait(false);
                // The upstream's time when it sent one (RunTime); else the clock, or a vouched time ahead of it plus the clock's time since it
                // was first found ahead (Unvouched): a clock behind it (a reset real-time clock) keeps counting as behind it, yet time runs. A
                // time ahead that no Date vouched for (a run whose clock ran ahead) is not kept.
                DateTimeOffset fetched = TimeProvider.GetUtcNow();
                DateTimeOffset answered = update.UpstreamDate is { } date ? Vouched(fetched, date, state.Vouched) : AnsweredWithoutDate(state, fetched);
                (state.Vouched, state.AheadSince) = update.UpstreamDate is not null ? (answered, null) : (state.Vouched, state.AheadSince);
                // A mirror's Age: its own upstream confirmed the copy that long before it answered.
                state.Confirmed = answered - (update.UpstreamAge ?? TimeSpan.Zero);
                await CountFromTheOriginAsync(update, state, cancellationToken).ConfigureAwait(false);
                if (update.ReplacedUnvetted is { } replaced)
                {
                    Warn?.Invoke($"{replaced.Message}: it was never loaded, and is replaced by the copy just fetched and vetted");
                }

                return (update.Current, null, update.UpstreamDate);
            }
            catch (Exception ex) when (ex is IpRangesFetchException or SnapshotRefusedException or IpRangesFormatException or IOException or UnauthorizedAccessException)
            {
                failure = ex;
            }
        }

        (IpRangesDocument? current, SnapshotUnvettedException? passedOver) = await CachedOrNullAsync(failure, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            throw NothingToLoad(failure, passedOver, statePath);
        }

        return (current, AgedCopy(current, state, statePath, failure, passedOver), null);
    }

    /// <summary>
    /// The cached copy to load, once its age is checked against <see cref="MaxStale"/>; a clock behind the time it was last
    /// confirmed counts that time as now (a warning says so when no other line does).
    /// </summary>
    /// <exception cref="NoUsableCachedCopyException">Older than <see cref="MaxStale"/>, or of unknown age.</exception>
    private CachedCopy AgedCopy(IpRangesDocument current, SyncState state, string? statePath, Exception? failure, SnapshotUnvettedException? passedOver)
    {
        DateTimeOffset now = TimeProvider.GetUtcNow();
        if (statePath is not null && CachedAge.FromEarlierVersion(now, state, statePath) is { } earlier)
        {
            // State from before confirmed (and vouched) existed: its own time stands for both, as that version took it, so the
            // last-seen times it holds are not all cut back to the document's modified (every kept prefix dropped at once).
            state.Confirmed = earlier;
            state.Vouched ??= earlier;
        }

        // Below a newer file passed over, the upstream's last word was about that one: this copy's age counts from when it was stored.
        SyncState records = passedOver is null ? state : new SyncState();
        string copy = store.GetPath(settings.Site, current.Version);
        DateTimeOffset? ahead = CachedAge.Ahead(now, records, copy);
        // A confirmation ahead of the clock counts from the vouched time plus the clock's time since it was first found ahead (Unvouched).
        DateTimeOffset counted = Unvouched(state, now);
        TimeSpan? age = ahead is { } first ? (counted > first ? counted - first : TimeSpan.Zero) : CachedAge.Of(now, records, copy);
        string? cause = failure is null ? passedOver?.Message : passedOver is null ? Cause(failure) : $"{Cause(failure)}; {passedOver.Message}";
        if (MaxStale > TimeSpan.Zero && (age is null || age > MaxStale))
        {
            string why = cause is not null ? $"{SyncAdvice.Literal(cause)}, and" : statePath is null ? "the sync state cannot be used, and" : "{1}:";
            string confirmed = age is { } known ? $"was last confirmed {Age(known)} ago, longer than"
                : "has an unknown age (no time is recorded for it), so it is not within";
            throw new NoUsableCachedCopyException(new SettingAdvice(
                $"{why} the cached {SyncAdvice.Literal(current.ToString())} {confirmed} {{0}} {Age(MaxStale)}: nothing was loaded, the firewall was left as it was",
                SyncAdvice.MaxStale, SyncAdvice.Offline), failure);
        }

        if (ahead is { } newest && cause is null)
        {
            // The line of a run that could not use a newer document says so itself (its Age is null, or the age counted).
            Warn?.Invoke(ClockBehind(now, newest, current.Version, age ?? TimeSpan.Zero));
        }

        return new CachedCopy(current.Version, ahead is null || age > TimeSpan.Zero ? age : null, cause)
        {
            Ahead = ahead is not null && age > TimeSpan.Zero,
            Refused = failure is SnapshotRefusedException, Invalid = failure is IpRangesFormatException,
        };
    }

    private static Exception Rethrow(Exception failure)
    {
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return failure;
    }

    /// <summary>Why the newer document could not be used, as the one line says it.</summary>
    private string Cause(Exception failure) => failure switch
    {
        IpRangesFormatException => $"{settings.Site.IpRangesUri}: {failure.Message}",
        IOException or UnauthorizedAccessException => $"the cache {store.DirectoryPath} cannot be written ({failure.Message})",
        _ => failure.Message,
    };

    /// <summary>Decides what to allow and compares it with what this host last applied and what the kernel holds.</summary>
    private async Task<SyncPlan> PlanAsync(IpRangesDocument document, SyncState state, DateTimeOffset? upstream, CancellationToken cancellationToken)
    {
        SyncSettings effective = await AdoptAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> sections = SyncRules.SelectSections(document, effective.Sections, effective.DefaultDirection);
        foreach (string warning in await GraceRecord.VetAsync(state, document, store, effective.Site, cancellationToken).ConfigureAwait(false))
        {
            Warn?.Invoke(warning);
        }

        RetainedPrefixes retained = Retain(document, sections, state, upstream, effective.KeepRemoved);
        RuleSet rules = SyncRules.WithListeners(SyncRules.Build(document, sections, retained.Effective, effective.SectionPorts), effective.Listeners);
        RuleSet? applied = state.Applied is { } last && last.Settings == effective.Fingerprint
            ? SyncRules.WithListeners(SyncRules.Build(document, sections, SyncStateFile.Sections(last), effective.SectionPorts), effective.Listeners)
            : null;
        // The listing recorded was of the objects the applied rules load; the new rules may load others.
        string kernel = await ReadKernelAsync(applied ?? rules, cancellationToken).ConfigureAwait(false);
        if (backend.MayHoldListenerProtection)
        {
            TableOwnership.Check(kernel, backend.Target, effective.Listeners is not null);
        }

        bool asApplied = applied is not null && Fingerprint(kernel) == state.Applied!.Kernel;
        // Drifted (a reboot, a change by hand, a run that could not write its state): counted against what the kernel holds, read back.
        IReadOnlyList<HeldSet>? held = applied is not null && !asApplied ? backend.Held(applied, kernel) : null;
        IReadOnlyList<ElementChange> changes = held is not null
            ? ElementChange.Between(held, rules, effective.Families)
            : ElementChange.Between(applied, rules, effective.Families);
        // A new version that changes no element is still applied: the comments and the state name the version in force.
        bool current = asApplied && changes.Count == 0 && state.Applied!.Version == document.Version;
        SyncOutcome outcome = current ? SyncOutcome.UpToDate : DryRun ? SyncOutcome.WouldApply : SyncOutcome.Applied;
        // Kept as the state records them, in both families; the report names those of the families loaded.
        KeptPrefix[] kept = [.. retained.Kept.Where(k => effective.Families.HasFlag(
            k.Prefix.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? AddressFamilies.IPv4 : AddressFamilies.IPv6))];
        var report = new SyncReport(outcome, document, rules, backend.Target, changes, kept, Drifted: applied is not null && !asApplied)
        {
            CountedAgainstKernel = held is not null,
            AdoptedListeners = effective == settings ? [] : effective.Listeners!.Provenance.Sections,
        };
        // Element commands leave the rules' comments, which name the version, as they were: only within one version.
        return new SyncPlan(report, retained, asApplied && state.Applied!.Version == document.Version ? applied : null, effective.Fingerprint)
        {
            Before = applied is null ? kernel : null,
        };
    }

    /// <summary>
    /// The settings, with fwrules' own listener protection added when this sync does not own one (no <c>--agent</c>) and
    /// its table holds one (<c>generate --agent</c> applied by hand replaced the table): loading both keeps both.
    /// </summary>
    private async Task<SyncSettings> AdoptAsync(CancellationToken cancellationToken)
    {
        if (settings.Listeners is not null || backend is not NftablesBackend { OwnsTable: true } nft)
        {
            return settings;
        }

        string kernel = await ReadAgainIfKilledAsync(nft.ReadTableAsync, cancellationToken).ConfigureAwait(false);
        return ListenerAdoption.FromNftables(kernel) is { } adopted
            ? settings with { Listeners = adopted, ListenersKey = ListenerAdoption.Key(adopted) }
            : settings;
    }

    private async Task<AppliedRules> RecordAppliedAsync(SyncPlan plan) => new()
    {
        Settings = plan.Fingerprint,
        Sections = SyncStateFile.Serialize(plan.Retained.Effective),
        Kernel = Fingerprint(await ReadKernelAsync(plan.Report.Rules, CancellationToken.None).ConfigureAwait(false)),
        Version = plan.Report.Document.Version,
        Modified = plan.Report.Document.ModifiedText,
        At = TimeProvider.GetUtcNow(),
    };

    private static string Fingerprint(string listing) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing)));
}
