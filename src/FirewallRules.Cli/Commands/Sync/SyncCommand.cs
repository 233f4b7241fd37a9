using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using FirewallRules.Emitters;
using FirewallRules.Fetching;
using FirewallRules.Notices;
using FirewallRules.Ranges;
using FirewallRules.Rules;
using FirewallRules.Sync;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules sync</c>: keep this host's firewall, or an AWS account's lists and rules, in step with a site's ranges, for a timer or cron job.</summary>
internal static partial class SyncCommand
{
    /// <summary>The verb's name; it handles SIGTERM and SIGINT itself (<see cref="StopSignals"/>).</summary>
    public const string Name = "sync";

    private const string Help = """
        Keep this host's firewall (nftables, iptables, ipset; run as root), or an AWS account's prefix lists or
        security group rules (aws-prefix-list, aws-sg), in step with a site's ip-ranges, for a systemd timer or a
        cron job. Each run fetches the document if it changed, renders the rules, checks them with the real tool
        (nft -c, iptables-restore --test, ipsets loaded under temporary names) and applies them atomically,
        only when the kernel would change. A prefix Datadog stops publishing stays allowed for --keep-removed.

        When the newest document cannot be used (the fetch failed, the document was refused or is invalid, the
        cache cannot be written, the state is damaged), the run falls back on the newest document of the cache
        (vetted when it was saved, and still holding the bytes vetted: a file changed since is passed over, and the
        exit 4 line says so) and its grace list, so a host booting during an outage still gets its rules;
        --max-stale bounds the age of that copy (a confirmation ahead of the clock counts as now when an upstream's
        Date vouched for it: a host whose clock was reset at boot still loads it, with a warning).
        A state that cannot be used (damaged, a link, unreadable) loads that copy without its grace list only when
        the firewall holds none of this sync's rules (a boot); rules already in force are kept and the run exits 1.
        --offline makes no request at all. --state and --cache must be owned by root or you and writable by their
        owner alone (exit 1 otherwise, nothing read). It prints what it did on stdout; with --quiet (for a timer or cron job)
        nothing when it succeeds, only errors and the line of exit codes 4 and 5 (a --dry-run still prints its changes).

        Exit codes: 0 applied or nothing to do; 1 a failed apply (the previous rules stay in force), another sync
        holding the lock or owning the table, or a refused document with no usable cached copy (last, the
        'fwrules fetch --force' command with this run's source and --cache that stores it once checked);
        3 network failure (or --offline) with no usable cached copy (nothing loaded), or a change notice that
        could not be posted (kept for the next run); 4 the newest document could not be used (the fetch failed,
        the cache or the state could not be written, the state is damaged) and the newest vetted cached copy is in
        force (one line on stderr: version, age, cause), which the shipped unit counts as success; 5 the newest
        document was refused and the newest vetted cached copy is in force (one line on stderr, ending with that
        'fwrules fetch --force' command), never success; 143 or 130 stopped by SIGTERM or
        SIGINT (one line; an AWS list changed part-way is put back). Stopped while it loads the rules, or with a
        firewall tool killed (a stop sent to the whole process group or cgroup), it reads the kernel back and says
        which rules are in force: the new ones (recorded in the state), the old ones, or neither (run sync again);
        a killed tool without a stop exits 1. Rules loaded whose state cannot be written (a full disk) exit 1 too, the new
        rules in force, and the next run loads them again. Otherwise, in every failure the firewall is left as it was.

        Examples:
          fwrules sync --format nftables --site eu1 --state /var/lib/fwrules --cache /var/cache/fwrules
          fwrules sync -f nftables-chain --table filter -s agents -s logs --keep-removed 7d
          fwrules sync -f iptables-ipset-script --dry-run
          fwrules sync -f nftables --site eu1 --offline
          fwrules sync -f nftables-strict --agent datadog --feature dogstatsd --open dogstatsd=10.0.0.0/8
          fwrules sync -f nftables --base-url https://mirror.internal.example/datadog/ --notify https://hooks.example.com/fw
        """;

    public static Command Create(CliConsole console)
    {
        var options = new SyncOptions();
        Command command = CommonOptions.Command(Name, Help, options.All);

        command.Validators.Add(result =>
        {
            if (result.IsGiven(options.Table) && result.GetResult(options.Format) is { Tokens: [var chosen] }
                && EmitterRegistry.Default.DescribeSync(chosen.Value) is not { HasTable: true })
            {
                result.AddError($"--table is for the nftables formats; {chosen.Value} has none.");
            }
            else if (result.IsGiven(options.DryRun) && result.IsGiven(options.Notify))
            {
                result.AddError("--dry-run changes nothing, so it sends no notice: drop --notify.");
            }
            else if (result.IsGiven(options.Agent) && options.AgentConfig.IsGiven(result))
            {
                result.AddError($"--agent takes the catalog's listeners; {AgentConfigOptions.Listed} read them from the agent's " +
                    "configuration: give one or the other.");
            }
            else if (options.AgentConfig.VersionWithoutConfiguration(result) is string versionAlone)
            {
                result.AddError(versionAlone);
            }
            else if (!result.IsGiven(options.Agent) && !options.AgentConfig.IsGiven(result) && (result.IsGiven(options.Features) || result.IsGiven(options.OpenTo)))
            {
                result.AddError($"--feature and --open need --agent or an agent configuration ({AgentConfigOptions.Listed}).");
            }
            else if (result.IsGiven(options.Offline) && result.IsGiven(options.Notify))
            {
                result.AddError("--offline makes no request, so it sends no notice: drop --notify.");
            }
            else if (result.GetResult(options.Format) is { Tokens: [var format] })
            {
                ServerFileOnly(result, options, format.Value);
            }
        });
        command.Validators.Add(result => NoticeDeliveryStep.Validate(result, options.Notify, options.Remote.AllowHttp));
        options.AgentConfig.AddValidator(command);
        command.Validators.Add(result => CommonOptions.ValidateBaseUrl(result, options.Remote.BaseUrl, options.Remote.AllowHttp));
        command.Validators.Add(result => SectionNames.Validate(result, options.Sections));
        // A host's listener protection and its cached copy are refused with an AWS format rather than ignored: an account
        // sync has no copy to fall back on, and its account keeps its rules.
        AwsSyncCommand.AwsOptions aws = AwsSyncCommand.AddTo(command, options.Format, [options.Agent, options.OpenTo], [options.Offline, options.MaxStale]);
        command.SetAction((parse, cancellationToken) => AwsSyncCommand.Handles(parse.GetRequiredValue(options.Format))
            ? AwsSyncCommand.RunAsync(console, parse, aws, options.Bind(parse), cancellationToken)
            : RunStoppableAsync(options.Bind(parse), console, cancellationToken));
        return command;
    }

    // A server's file: its own options, and none of a firewall's listener protection, whose agent it does not serve.
    private static void ServerFileOnly(CommandResult result, SyncOptions options, string format)
    {
        options.ServerFile.Validate(result, format);
        if (ServerFileOptions.Handles(format) && (result.IsGiven(options.Agent) || options.AgentConfig.IsGiven(result)))
        {
            result.AddError($"-f {format} admits who calls your server; an agent's listeners and destinations are the firewall's: drop --agent and the agent's configuration.");
        }
    }

    /// <summary>
    /// Runs one host sync; SIGTERM or SIGINT stop it between its steps, with one line and the signal's status (143, 130).
    /// Stopped (or a firewall tool killed, as a stop sent to the whole process group does) while it applied, it reads the
    /// kernel back and says what is in force: the new rules (recorded in the state), the old ones, or neither (run again).
    /// Stopped once the rules were loaded, it says what is in force, which the stop did not change.
    /// </summary>
    private static async Task<int> RunStoppableAsync(Request request, CliConsole console, CancellationToken cancellationToken)
    {
        using StopSignals stop = StopSignals.Watch(cancellationToken);
        try
        {
            return await RunAsync(request, console, stop.Token).ConfigureAwait(false);
        }
        catch (FirewallStoppedException ex)
        {
            string why = stop.Received ? $"stopped by {stop.Name} while loading the rules" : ex.Cause ?? "a firewall tool was killed by a signal while loading the rules";
            throw new CliException($"sync: {why}; {ex.Message}", stop.Received ? stop.ExitCode : ExitCode.BadInput);
        }
        catch (StoppedAfterLoadException ex)
        {
            throw new CliException($"sync: stopped by {stop.Name} {ex.Message}", stop.ExitCode);
        }
        catch (OperationCanceledException) when (stop.Received)
        {
            // A stop while the rules load is read back above, and one after they were loaded is said above: this one came before, so nothing was loaded.
            throw new CliException($"sync: stopped by {stop.Name} before loading anything; the firewall was left as it was", stop.ExitCode);
        }
        catch (CliException ex) when (stop.Received)
        {
            throw new CliException($"sync: stopped by {stop.Name}: {ex.Message}", stop.ExitCode);
        }
    }

    private static async Task<int> RunAsync(Request request, CliConsole console, CancellationToken cancellationToken)
    {
        if (request.Agent is { } agent)
        {
            (SyncSettings settings, RemoteSource remote) =
                await AgentSync.ApplyAsync(agent, request.Settings, request.Source, console, request.Quiet, cancellationToken).ConfigureAwait(false);
            request = request with { Settings = settings, Source = remote };
        }

        Site source = request.Settings.Site;
        // Every warning of the engine and the store says an input it could not vouch for (a clock, a cache, a state, a first
        // document): an error's kin, which --quiet does not silence (CommonOptions.Quiet).
        var store = new SnapshotStore(request.Cache) { Logger = new WarningLines(console.WriteWarning) };
        NoticeOutbox? outbox = request.Notify is null ? null : NoticeOutbox.For(store, source);
        var sync = new FirewallSync(
            request.Settings,
            request.State,
            store,
            request.Source.CreateClient(console),
            FirewallBackends.Create(request.Settings, new FirewallTools(), request.State))
        {
            LockWait = request.LockWait,
            Outbox = outbox,
            DryRun = request.DryRun,
            Offline = request.Offline,
            MaxStale = request.MaxStale,
            Warn = console.WriteWarning,
        };
        SyncReport report = await RunSyncAsync(sync, request, cancellationToken).ConfigureAwait(false);
        if (!request.Quiet || request.DryRun)
        {
            // --quiet leaves the result asked for and errors: a dry run's changes are its result, a sync's summary is not.
            OutputTarget.WriteText(console, path: null, Describe(report, request.Settings.KeepRemoved, request.Settings.Families));
        }

        if (report.Outcome == SyncOutcome.Applied && report.Interrupted)
        {
            // Stopped (or a tool killed) while the rules loaded, and found whole in force: no notice is posted now; the outbox keeps it for the next run.
            throw new FirewallStoppedException(report.InterruptCause, $"read back, {InForce(report)}");
        }

        int delivered = await DeliverOrStopAsync(request, console, report, outbox, cancellationToken).ConfigureAwait(false);
        string? fallback = Fallback(report, request);
        if (fallback is not null)
        {
            // Said even with --quiet: it is why the exit status is not 0. A refused document is never success (the unit's SuccessExitStatus=4).
            console.WriteError($"fwrules: sync: {fallback}");
            return delivered != ExitCode.Success ? delivered : report.FromCache is { Refused: true } or { Invalid: true } ? ExitCode.Refused : ExitCode.FromCache;
        }

        return delivered;
    }

    /// <summary>
    /// Posts the pending change notices, unless the run was stopped once its rules were loaded (or found in force): then the
    /// line says what is in force, which the stop did not change, and the notices stay in the outbox for the next run.
    /// </summary>
    private static async Task<int> DeliverOrStopAsync(Request request, CliConsole console, SyncReport report, NoticeOutbox? outbox, CancellationToken cancellationToken)
    {
        try
        {
            if (report.Outcome == SyncOutcome.Applied || outbox is not null)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            return outbox is null
                ? ExitCode.Success
                : await NoticeDeliveryStep.RunAsync(console, outbox, request.Notify!, request.Source.Retries, request.Quiet, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            string kept = outbox is null ? string.Empty : $"; the change notices not posted are kept in {outbox.DirectoryPath} for the next run";
            throw new StoppedAfterLoadException(report.Outcome == SyncOutcome.Applied
                ? $"after loading the rules: {InForce(report)}{kept}"
                : $"before posting the change notices: {report.Target} {TargetWording.Holds(report.Target)} {Wording.Document(report.Document)}, as before{kept}");
        }
    }

    /// <summary>The new rules in force, as a stopped run that loaded them says it.</summary>
    private static string InForce(SyncReport report) =>
        $"{report.Target} {TargetWording.Holds(report.Target)} {Wording.Document(report.Document)}, this run's rules, recorded in the state";

    /// <summary>The one line saying why the rules in force are not from a newer document (or not with the state's grace list); null when they are.</summary>
    private static string? Fallback(SyncReport report, Request request)
    {
        string did = report.Outcome switch { SyncOutcome.UpToDate => "kept", SyncOutcome.WouldApply => "would load", _ => "loaded" };
        string? cached = report.FromCache is { FetchFailure: string cause } copy
            ? string.Create(CultureInfo.InvariantCulture,
                $"{cause}; {did} the cached ip-ranges version {copy.Version} instead, last confirmed " +
                    $"{(copy.Age is { } age ? FirewallSync.Age(age) + " ago" : "at a time ahead of this host's clock, counted as now (set the clock)")}" +
                    $"{(copy.Ahead ? ", counted from when that time was first found ahead of this host's clock (set the clock)" : "")}")
            : null;
        string? state = report.StateProblem is { } problem
            ? string.Create(CultureInfo.InvariantCulture,
                $"{problem.Format(SettingFlags.For)}; {did} ip-ranges version {report.Document.Version} without its grace list and left the file as it was")
            : null;
        string? line = string.Join("; ", new[] { cached, state, report.StateNotWritten is { } unwritten ? $"{unwritten}: the next run writes it" : null }.OfType<string>());
        line = line.Length == 0 ? null : line;
        // The way out of a refusal last, to be copied whole: the run cannot take it itself, and it is refused on every run until then.
        return report.FromCache is { Refused: true } ? $"{line}; {WayOut(request)}" : line;
    }

    /// <summary>How the operator stores a refused document once checked: <c>fwrules fetch --force</c> with this run's source and cache.</summary>
    private static string WayOut(Request request) => ForcedFetch.Advice(request.Settings.Site, request.Cache);

    /// <summary>Runs the sync, saying of every failure that the firewall was left as it was.</summary>
    private static async Task<SyncReport> RunSyncAsync(FirewallSync sync, Request request, CancellationToken cancellationToken)
    {
        const string Untouched = "; the firewall was left as it was";
        try
        {
            return await sync.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NoUsableCachedCopyException ex)
        {
            // Offline or the network down: no usable copy is a network failure (3); a refused document stays a refusal (1).
            string message = ex.FormatMessage(SettingFlags.For);
            throw new CliException(ex.InnerException is SnapshotRefusedException ? $"{message}; {WayOut(request)}" : message,
                ex.FetchFailed ? ExitCode.Network : ExitCode.BadInput);
        }
        catch (SnapshotRefusedException ex)
        {
            throw new CliException($"{ex.Message}{Untouched}; {WayOut(request)}");
        }
        catch (IpRangesFormatException ex)
        {
            throw new CliException(ex, $"{request.Settings.Site.IpRangesUri}: ", Untouched);
        }
        catch (IpRangesFetchException ex)
        {
            throw new CliException(ex, suffix: Untouched);
        }
        catch (RuleGenerationException ex)
        {
            throw new CliException(ex, suffix: Untouched);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot use the cache {request.Cache} or the state {request.State}: {ex.Message}{Untouched}");
        }
    }

    /// <summary>The prefixes loaded, per family loaded: a family left out by --family is not counted.</summary>
    private static string Counts(RuleSet rules, AddressFamilies families)
    {
        string sections = string.Join(", ", rules.Provenance.Sections);
        return families switch
        {
            AddressFamilies.IPv4 => $"{Wording.Count(rules.Prefixes.IPv4.Count, "IPv4 prefix", "IPv4 prefixes")} for {sections}",
            AddressFamilies.IPv6 => $"{Wording.Count(rules.Prefixes.IPv6.Count, "IPv6 prefix", "IPv6 prefixes")} for {sections}",
            _ => $"{Wording.FamilyCounts(rules.Prefixes.IPv4.Count, rules.Prefixes.IPv6.Count)} for {sections}",
        };
    }

    private static string Describe(SyncReport report, TimeSpan keep, AddressFamilies families)
    {
        var text = new StringBuilder();
        RuleSet rules = report.Rules;
        string counts = Counts(rules, families);
        string document = Wording.Document(report.Document);
        switch (report.Outcome)
        {
            case SyncOutcome.UpToDate:
                text.Append(CultureInfo.InvariantCulture, $"sync: nothing to do: {report.Target} already {TargetWording.Holds(report.Target)} {document}: {counts}\n");
                break;
            case SyncOutcome.WouldApply:
                text.Append(CultureInfo.InvariantCulture, $"sync: dry run: would apply {document} to {report.Target}: {counts}{Drift(report)}\n");
                AppendChanges(text, report.Changes, listPrefixes: true);
                break;
            default:
                text.Append(CultureInfo.InvariantCulture, $"sync: applied {document} to {report.Target}: {counts}{Drift(report)}\n");
                AppendChanges(text, report.Changes, listPrefixes: false);
                break;
        }

        if (report.AdoptedListeners.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  kept fwrules' listener protection found in {report.Target} ({string.Join(", ", report.AdoptedListeners)}, applied by 'fwrules generate " +
                    $"--agent') beside the allow-list\n");
        }

        AppendKept(text, report.Kept, keep, listPrefixes: report.Outcome == SyncOutcome.WouldApply);
        return text.ToString();
    }

    private static string Drift(SyncReport report) =>
        report.Drifted ? " (the kernel no longer held what this host last recorded: a reboot, a change by hand, or a run that could not write its state; " +
            (!report.CountedAgainstKernel ? "the changes are counted against that record)"
            : report.Changes.Count == 0 ? "it held these elements already, so none changed)"
            : "the changes are counted against what the kernel held)")
        : report.Changes.Count == 0 && report.Outcome == SyncOutcome.WouldApply ? " (no element would change; the rules' comments and the state would name this version)"
        : report.Changes.Count == 0 ? " (no element changed; the rules' comments and the state now name this version)"
        : string.Empty;

    private static void AppendChanges(StringBuilder text, IReadOnlyList<ElementChange> changes, bool listPrefixes)
    {
        foreach (ElementChange change in changes)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {change.Label}: +{change.Added.Count} -{change.Removed.Count}\n");
            if (listPrefixes)
            {
                text.AppendJoin(string.Empty, change.Added.Select(prefix => $"    + {prefix}\n"));
                text.AppendJoin(string.Empty, change.Removed.Select(prefix => $"    - {prefix}\n"));
            }
        }
    }

    private static void AppendKept(StringBuilder text, IReadOnlyList<KeptPrefix> kept, TimeSpan keep, bool listPrefixes)
    {
        if (kept.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture,
            $"  kept {Wording.Count(kept.Count, "prefix", "prefixes")} Datadog no longer publishes (--keep-removed {IO.DurationText.Format(keep)}), " +
                $"the last until {Utc(kept.Max(k => k.Until))}\n");
        if (listPrefixes)
        {
            Wording.AppendListing(text, [.. kept.Select(k => $"= {k.Prefix} ({k.Section}, until {Utc(k.Until)})")], "    ");
        }
    }

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>A stop that came once the rules were loaded (or found in force): the message says what is in force.</summary>
    private sealed class StoppedAfterLoadException(string message) : Exception(message);

    /// <summary>What one run was asked to do, however the command line spelled it.</summary>
    internal sealed record Request(
        RemoteSource Source, SyncSettings Settings, string Cache, string State, bool DryRun, Uri? Notify, TimeSpan LockWait, bool Quiet, bool Offline, TimeSpan MaxStale)
    {
        /// <summary>The agent's own configuration, naming the sections and site (<see cref="AgentSync"/>).</summary>
        public AgentSync.Selection? Agent { get; init; }

        /// <summary>Whether --name was given, not its default (an AWS account sync then names its lists and groups by it).</summary>
        public bool NameGiven { get; init; }
    }
}
