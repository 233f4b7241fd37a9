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

    /// <summary>Only work out what would change: nothing is loaded and the state is not written (the document is still fetched into the store).</summary>
    public bool DryRun { get; init; }

    /// <summary>Runs once.</summary>
    /// <exception cref="FirewallSyncException">The lock stayed taken, the state is unusable, or the firewall refused or failed the rules.</exception>
    /// <exception cref="SnapshotRefusedException">The fetched document was refused (older, shrunk); nothing was touched.</exception>
    /// <exception cref="IpRangesFormatException">The fetched document is not valid; nothing was touched.</exception>
    /// <exception cref="IpRangesFetchException">The fetch failed after retries; nothing was touched.</exception>
    /// <exception cref="Rules.RuleGenerationException">A section is missing from the document.</exception>
    /// <exception cref="IOException">The state or the cache cannot be written.</exception>
    public async Task<SyncReport> RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(stateDirectory);
        string lockPath = Path.Combine(stateDirectory, "sync.lock");
        using FileLock held = await FileLock.TryAcquireAsync(lockPath, LockWait, TimeProvider, cancellationToken).ConfigureAwait(false)
            ?? throw new FirewallSyncException($"another fwrules sync still held {lockPath} after {LockWait.TotalSeconds:0.###} s; nothing was changed");
        var stateFile = new SyncStateFile(stateDirectory);
        SyncState state = stateFile.Read(settings.Site);
        SnapshotUpdate update = await store.UpdateAsync(client, settings.Site, force: false, cancellationToken).ConfigureAwait(false);
        if (Outbox is not null)
        {
            await Outbox.RecordAsync(store, settings.Site, TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        SyncPlan plan = await PlanAsync(update.Current, state, cancellationToken).ConfigureAwait(false);
        if (DryRun)
        {
            return plan.Report;
        }

        if (plan.Report.Outcome == SyncOutcome.Applied)
        {
            await backend.ApplyAsync(plan.Report.Rules, plan.Loaded, cancellationToken).ConfigureAwait(false);
            state.Applied = await RecordAppliedAsync(plan).ConfigureAwait(false);
        }

        state.Source = settings.Site.IpRangesUri.AbsoluteUri;
        state.Published = SyncStateFile.Serialize(plan.Retained.LastSeen);
        try
        {
            await stateFile.WriteAsync(state, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when ((ex is IOException or UnauthorizedAccessException) && plan.Report.Outcome == SyncOutcome.Applied)
        {
            throw new FirewallSyncException($"the rules were applied to {backend.Target}, but {stateFile.FilePath} could not be written ({ex.Message}); the next run applies them again");
        }

        return plan.Report;
    }

    /// <summary>Decides what to allow and compares it with what this host last applied and what the kernel holds.</summary>
    private async Task<SyncPlan> PlanAsync(IpRangesDocument document, SyncState state, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> sections = SyncRules.SelectSections(document, settings.Sections);
        RetainedPrefixes retained = Retention.Apply(
            sections.ToDictionary(name => name, name => document[name].Prefixes, StringComparer.Ordinal),
            SyncStateFile.LastSeen(state),
            TimeProvider.GetUtcNow(),
            settings.KeepRemoved);
        RuleSet rules = SyncRules.Build(document, sections, retained.Effective);
        RuleSet? applied = state.Applied is { } last && last.Settings == settings.Fingerprint
            ? SyncRules.Build(document, sections, SyncStateFile.Sections(last))
            : null;
        // The listing recorded was of the objects the applied rules load; the new rules may load others.
        string kernel = await backend.ReadKernelAsync(applied ?? rules, cancellationToken).ConfigureAwait(false);
        bool asApplied = applied is not null && Fingerprint(kernel) == state.Applied!.Kernel;
        IReadOnlyList<ElementChange> changes = ElementChange.Between(applied, rules);
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
