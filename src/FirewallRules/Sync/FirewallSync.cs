using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FirewallRules.Fetching;
using FirewallRules.IO;
using FirewallRules.Notices;
using FirewallRules.Ranges;

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
/// firewall and the state as they were.</para>
/// </remarks>
internal sealed class FirewallSync(SyncSettings settings, string stateDirectory, SnapshotStore store, IpRangesClient client, IFirewallBackend backend)
{
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
    /// <exception cref="FirewallSyncException">The lock stayed taken, the state is unusable, or the firewall refused or failed the rules.</exception>
    /// <exception cref="SnapshotRefusedException">The fetched document was refused (older, shrunk); nothing was touched.</exception>
    /// <exception cref="IpRangesFormatException">The fetched document is not valid; nothing was touched.</exception>
    /// <exception cref="IpRangesFetchException">The fetch failed after retries and the cache holds no document; nothing was touched.</exception>
    /// <exception cref="CachedCopyTooOldException">The fetch failed (or the run was offline) and the cached copy is older than <see cref="MaxStale"/>; nothing was touched.</exception>
    /// <exception cref="Rules.RuleGenerationException">A section is missing from the document.</exception>
    /// <exception cref="IOException">The state or the cache cannot be written.</exception>
    public async Task<SyncReport> RunAsync(CancellationToken cancellationToken)
    {
        using SyncMetrics.SyncRun run = SyncMetrics.Start(SyncMetrics.Host);
        using FileLock held = await SyncLock.TakeAsync(stateDirectory, LockWait, TimeProvider, cancellationToken).ConfigureAwait(false);
        var stateFile = new SyncStateFile(stateDirectory);
        SyncState state = stateFile.Read(settings.Site);
        (IpRangesDocument document, CachedCopy? cached) = await ObtainAsync(state, cancellationToken).ConfigureAwait(false);
        if (Outbox is not null && cached is null)
        {
            await Outbox.RecordAsync(store, settings.Site, TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        SyncPlan plan = await PlanAsync(document, state, cancellationToken).ConfigureAwait(false);
        plan = plan with { Report = plan.Report with { FromCache = cached } };
        if (DryRun)
        {
            return run.Completed(plan.Report);
        }

        if (plan.Report.Outcome == SyncOutcome.Applied)
        {
            await backend.ApplyAsync(plan.Report.Rules, plan.Loaded, cancellationToken).ConfigureAwait(false);
            SyncMetrics.Applied(SyncMetrics.Host);
            state.Applied = await RecordAppliedAsync(plan).ConfigureAwait(false);
        }

        state.Source = settings.Site.IpRangesUri.AbsoluteUri;
        if (cached is null)
        {
            // A cached copy is not a sighting: only a fetched document says what is published now.
            state.Published = SyncStateFile.Serialize(plan.Retained.LastSeen);
        }

        try
        {
            await stateFile.WriteAsync(state, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when ((ex is IOException or UnauthorizedAccessException) && plan.Report.Outcome == SyncOutcome.Applied)
        {
            throw new FirewallSyncException($"the rules were applied to {backend.Target}, but {stateFile.FilePath} could not be written ({ex.Message}); the next run applies them again");
        }

        return run.Completed(plan.Report);
    }

    /// <summary>
    /// The document to load: fetched into the store when it changed; when the fetch fails (or the run is offline), the
    /// store's newest vetted document, if the upstream confirmed it less than <see cref="MaxStale"/> ago.
    /// </summary>
    private async Task<(IpRangesDocument Document, CachedCopy? Cached)> ObtainAsync(SyncState state, CancellationToken cancellationToken)
    {
        IpRangesFetchException? failure = null;
        if (!Offline)
        {
            try
            {
                SnapshotUpdate update = await store.UpdateAsync(client, settings.Site, force: false, cancellationToken).ConfigureAwait(false);
                state.Confirmed = TimeProvider.GetUtcNow();
                return (update.Current, null);
            }
            catch (IpRangesFetchException ex)
            {
                failure = ex;
            }
        }

        IpRangesDocument? current = await store.GetCurrentAsync(settings.Site, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return failure is not null
                ? throw failure
                : throw new FirewallSyncException(
                    $"--offline: the cache {store.DirectoryPath} holds no document for {settings.Site.IpRangesUri}: run once without --offline (or 'fwrules fetch'); the firewall was left as it was");
        }

        TimeSpan age = TimeProvider.GetUtcNow() - ConfirmedAt(state, current);
        if (MaxStale > TimeSpan.Zero && age > MaxStale)
        {
            string why = failure is null ? "--offline" : $"{failure.Message}, and";
            throw new CachedCopyTooOldException(
                $"{why} the cached {current} was last confirmed {Age(age)} ago, longer than --max-stale {Age(MaxStale)}: nothing was loaded, the firewall was left as it was", failure);
        }

        return (current, new CachedCopy(current.Version, age, failure?.Message));
    }

    /// <summary>When the upstream last confirmed <paramref name="current"/>: the state's record, or when the store wrote the file, whichever is later.</summary>
    private DateTimeOffset ConfirmedAt(SyncState state, IpRangesDocument current)
    {
        var written = new DateTimeOffset(File.GetLastWriteTimeUtc(store.GetPath(settings.Site, current.Version)), TimeSpan.Zero);
        return state.Confirmed is { } confirmed && confirmed > written ? confirmed : written;
    }

    /// <summary>A duration as a person reads it: <c>3d4h</c>, <c>5h12m</c>, <c>40s</c>.</summary>
    internal static string Age(TimeSpan age)
    {
        var i = CultureInfo.InvariantCulture;
        return age.TotalDays >= 1 ? string.Create(i, $"{(int)age.TotalDays}d{age.Hours}h")
            : age.TotalHours >= 1 ? string.Create(i, $"{(int)age.TotalHours}h{age.Minutes}m")
            : age.TotalMinutes >= 1 ? string.Create(i, $"{(int)age.TotalMinutes}m{age.Seconds}s")
            : string.Create(i, $"{Math.Max(0, (int)age.TotalSeconds)}s");
    }

    /// <summary>Decides what to allow and compares it with what this host last applied and what the kernel holds.</summary>
    private async Task<SyncPlan> PlanAsync(IpRangesDocument document, SyncState state, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> sections = SyncRules.SelectSections(document, settings.Sections);
        foreach (string warning in await GraceRecord.VetAsync(state, document, store, settings.Site, TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            Warn?.Invoke(warning);
        }

        RetainedPrefixes retained = Retention.Apply(document, sections, state, TimeProvider.GetUtcNow(), settings.KeepRemoved);
        RuleSet rules = SyncRules.WithListeners(SyncRules.Build(document, sections, retained.Effective, settings.SectionPorts), settings.Listeners);
        RuleSet? applied = state.Applied is { } last && last.Settings == settings.Fingerprint
            ? SyncRules.WithListeners(SyncRules.Build(document, sections, SyncStateFile.Sections(last), settings.SectionPorts), settings.Listeners)
            : null;
        // The listing recorded was of the objects the applied rules load; the new rules may load others.
        string kernel = await backend.ReadKernelAsync(applied ?? rules, cancellationToken).ConfigureAwait(false);
        TableOwnership.Check(kernel, backend.Target, settings.Listeners is not null);
        bool asApplied = applied is not null && Fingerprint(kernel) == state.Applied!.Kernel;
        IReadOnlyList<ElementChange> changes = ElementChange.Between(applied, rules, settings.Families);
        SyncOutcome outcome = asApplied && changes.Count == 0 ? SyncOutcome.UpToDate : DryRun ? SyncOutcome.WouldApply : SyncOutcome.Applied;
        var report = new SyncReport(outcome, document, rules, backend.Target, changes, retained.Kept, Drifted: applied is not null && !asApplied);
        // Element commands leave the rules' comments, which name the version, as they were: only within one version.
        return new SyncPlan(report, retained, asApplied && state.Applied!.Version == document.Version ? applied : null);
    }

    private async Task<AppliedRules> RecordAppliedAsync(SyncPlan plan) => new()
    {
        Settings = settings.Fingerprint,
        Sections = SyncStateFile.Serialize(plan.Retained.Effective),
        Kernel = Fingerprint(await backend.ReadKernelAsync(plan.Report.Rules, CancellationToken.None).ConfigureAwait(false)),
        Version = plan.Report.Document.Version,
        Modified = plan.Report.Document.ModifiedText,
        At = TimeProvider.GetUtcNow(),
    };

    private static string Fingerprint(string listing) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing)));
}
