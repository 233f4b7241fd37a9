using System.CommandLine;
using System.Runtime.CompilerServices;
using System.Net.Sockets;
using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using FirewallRules.Aws;
using FirewallRules.Emitters;
using AwsFormats = FirewallRules.Emitters.Aws.AwsFormats;
using FirewallRules.Fetching;
using FirewallRules.Notices;
using FirewallRules.Ranges;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>fwrules sync -f aws-prefix-list|aws-sg</c>: the account side of sync, reached from <see cref="SyncCommand"/> only when an
/// AWS format is chosen. The AWS SDK (FirewallRules.Aws) is loaded only then: nothing here that the other verbs build or
/// run names one of its types.
/// </summary>
internal static partial class AwsSyncCommand
{
    /// <summary>The security-group format (a constant: reading it loads nothing of the SDK's assembly).</summary>
    private const string SecurityGroups = AwsSecurityGroupSyncOptions.Format;

    /// <summary>The formats synced through the AWS SDK: the cloud targets of sync, as the AWS formats' folder declares them.</summary>
    public static readonly string[] Formats = [.. EmitterRegistry.Default.SyncTargets.Where(t => !t.Capability.IsHost).Select(t => t.Format)];

    /// <summary>True for a format this command syncs.</summary>
    public static bool Handles(string format) => EmitterRegistry.Default.DescribeSync(format) is { IsHost: false };

    /// <summary>
    /// Adds the AWS options to <paramref name="command"/>, with their checks: <paramref name="hostOnly"/> (a host's
    /// listener protection) and <paramref name="hostCacheOnly"/> (the host's cached copy) are refused with an AWS format.
    /// </summary>
    public static AwsOptions AddTo(Command command, Option<string> format, Option[] hostOnly, Option[] hostCacheOnly)
    {
        var aws = new AwsOptions();
        command.Validators.Add(result => AwsRegionNames.Validate(result, format, aws.Region));
        foreach (Option option in aws.All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (result.GetResult(format) is not { Tokens: [var chosen] })
            {
                return;
            }

            if (!Handles(chosen.Value) && aws.All.FirstOrDefault(result.IsGiven) is { } given)
            {
                result.AddError($"{given.Name} is for the AWS formats ({string.Join(", ", Formats)}).");
            }
            else if (chosen.Value != SecurityGroups && aws.GroupOnly.FirstOrDefault(result.IsGiven) is { } groupOnly)
            {
                result.AddError($"{groupOnly.Name} is for -f {SecurityGroups}.");
            }
            else if ((result.GetValue(aws.GroupIds) ?? []).FirstOrDefault(id => !GroupId().IsMatch(id)) is { } bad)
            {
                result.AddError($"--group-id {bad}: not a security group id (sg- and 8 or 17 hexadecimal digits).");
            }
            else if (Handles(chosen.Value)
                && hostOnly.FirstOrDefault(result.IsGiven) is { } hostOnlyGiven)
            {
                result.AddError($"{hostOnlyGiven.Name} loads a host's listener protection, which the AWS formats do not keep: drop it (the agent's configuration " +
                    $"still decides the site, sections and ports).");
            }
            else if (Handles(chosen.Value) && hostCacheOnly.FirstOrDefault(result.IsGiven) is { } cacheOnly)
            {
                result.AddError($"{cacheOnly.Name} is for the host formats, which load a cached copy when the fetch fails: an AWS account sync always " +
                    "fetches the document, and when that fails the account keeps the rules it holds (exit 3); drop it.");
            }
        });
        return aws;
    }

    /// <summary>
    /// Runs one account sync; exit codes as the host sync's, and 143 or 130 when SIGTERM or SIGINT stopped it (after putting
    /// back a list changed part-way).
    /// </summary>
    public static async Task<int> RunAsync(CliConsole console, ParseResult parse, AwsOptions aws, SyncCommand.Request request, CancellationToken cancellationToken)
    {
        using StopSignals stop = StopSignals.Watch(cancellationToken);
        var made = new StrongBox<AwsAccountSync?>();
        try
        {
            return await RunStoppableAsync(console, parse, aws, request, made, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (stop.Received)
        {
            // The account sync says what the account holds, read again; a removal stops between deletions; a stop outside
            // both (reading the agent's configuration) changed nothing.
            string holds = ex is AccountStoppedException stopped ? stopped.Holds
                : parse.GetValue(aws.Remove) ? "; what was revoked or deleted before the stop is gone, the rest is left; run --remove again to finish"
                : StoppedAccount.BeforeAnyChange(!parse.GetValue(aws.CidrRules), request.Settings.Format == SecurityGroups);
            throw new CliException($"sync: stopped by {stop.Name}{Where(made.Value)}{holds}", stop.ExitCode);
        }
        catch (CliException ex) when (stop.Received)
        {
            // A call failed while stopping (the restore, say): its line says what the account holds.
            throw new CliException($"sync: stopped by {stop.Name}{Where(made.Value)}: {ex.Message}", stop.ExitCode);
        }
    }

    /// <summary>
    /// The region and account a stopped run worked in, as the summary names them (<c> (region eu-west-1, account 111122223333)</c>):
    /// the account once the run knew it; nothing when the stop came before the client was made.
    /// </summary>
    private static string Where(AwsAccountSync? sync) => sync is null ? string.Empty : $" ({AwsStateTarget.Describe(sync.Region, sync.Account)})";

    private static async Task<int> RunStoppableAsync(
        CliConsole console, ParseResult parse, AwsOptions aws, SyncCommand.Request request, StrongBox<AwsAccountSync?> made, CancellationToken cancellationToken)
    {
        if (request.Agent is { } agent)
        {
            request = await FromAgentAsync(console, agent, request, cancellationToken).ConfigureAwait(false);
        }

        string? name = request.NameGiven ? request.Settings.Name : null;
        var settings = new AwsSyncSettings(request.Settings.Site, request.Settings.Sections, name, request.Settings.Families, request.Settings.KeepRemoved)
        {
            SectionPorts = request.Settings.SectionPorts,
        };
        var store = new SnapshotStore(request.Cache) { Logger = new WarningLines(console.WriteWarning) };
        NoticeOutbox? outbox = request.Notify is null ? null : NoticeOutbox.For(store, request.Settings.Site);
        if (parse.GetValue(aws.Remove))
        {
            string region = string.Empty;
            (AwsPrefixListReport lists, AwsSecurityGroupReport groups) = await RunSyncAsync(
                () => Create(parse, aws, request, settings, store, outbox: null, console), (sync, token) =>
                {
                    (region, made.Value) = (sync.Region, sync);
                    return sync.RemoveAsync(token);
                }, cancellationToken)
                .ConfigureAwait(false);
            if (!request.Quiet || request.DryRun)
            {
                OutputTarget.WriteText(console, path: null, AwsSyncText.DescribeRemoval(lists, groups, settings.ListName, region, request.DryRun));
            }

            return ExitCode.Success;
        }

        AwsAccountReport report =
            await RunSyncAsync(() => Create(parse, aws, request, settings, store, outbox, console), (sync, token) => (made.Value = sync).RunAsync(token), cancellationToken)
                .ConfigureAwait(false);
        // --quiet leaves the result asked for and errors, as for the host formats: a dry run's plan, no summary or warning.
        if (!request.Quiet || request.DryRun)
        {
            OutputTarget.WriteText(console, path: null, AwsSyncText.Describe(report, request));
        }

        WriteWarnings(console, report, request);
        return outbox is null
            ? ExitCode.Success
            : await NoticeDeliveryStep.RunAsync(console, outbox, request.Notify!, request.Source.Retries, request.Quiet, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The run's warnings: rules left out (kept prefixes the grace record cannot name) whatever <c>--quiet</c> says, the rest unless quiet.
    /// </summary>
    private static void WriteWarnings(CliConsole console, AwsAccountReport report, SyncCommand.Request request)
    {
        foreach (string warning in request.Quiet ? [] : AwsSyncText.DefaultEgressWarnings(report.Groups))
        {
            console.WriteWarning(warning);
        }

        if (AwsSyncText.CutWarning(report, request.DryRun) is { } cut)
        {
            console.WriteWarning(cut);
        }

        if (report.Unrecorded > 0 && !request.Quiet)
        {
            console.WriteWarning(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the grace record in the account's tags holds the newest kept prefixes only; {report.Unrecorded} of the lists' " +
                $"{report.PrefixLists.Lists.Where(l => l.Action != AwsListAction.Deleted).Sum(l => l.Entries)} entries are kept by this runner's state alone"));
        }
    }

    /// <summary>
    /// The agent's configuration decides the site, the sections and each section's ports exactly as for a host
    /// (<see cref="AgentSync"/>); what a host loads beside them (its listeners, destinations outside the ranges) has no
    /// place in a prefix list or this sync's rules, and is named in a warning.
    /// </summary>
    private static async Task<SyncCommand.Request> FromAgentAsync(CliConsole console, AgentSync.Selection agent, SyncCommand.Request request, CancellationToken cancellationToken)
    {
        (Sync.SyncSettings settings, RemoteSource remote) =
            await AgentSync.ApplyAsync(agent, request.Settings, request.Source, console, request.Quiet, cancellationToken).ConfigureAwait(false);
        // Said even with --quiet: what was left out of the account's rules.
        if (settings.Listeners is { } fixedRules)
        {
            console.WriteWarning($"not loaded into the account: " +
                $"{string.Join(", ", fixedRules.Rules.Select(r => $"{string.Join('+', r.Sources)} ({r.Direction.ToString().ToLowerInvariant()} {r.Port})"))}: " +
                $"the AWS formats keep Datadog's ranges only; render the rest with fwrules generate --agent-config ...");
        }

        return request with { Settings = settings with { Listeners = null, ListenersKey = string.Empty }, Source = remote };
    }

    private static (IAmazonEC2 Client, AwsAccountSync Sync) Create(
        ParseResult parse, AwsOptions aws, SyncCommand.Request request, AwsSyncSettings settings, SnapshotStore store, NoticeOutbox? outbox, CliConsole console)
    {
        (AmazonEC2Client ec2, AwsCallerAccount caller) = CreateClient(parse.GetValue(aws.Region), parse.GetValue(aws.Profile));
        bool groups = request.Settings.Format == SecurityGroups;
        return (ec2, new AwsAccountSync(settings, request.State, store, request.Source.CreateClient(console), ec2)
        {
            Region = ec2.Config.RegionEndpoint.SystemName,
            CallerAccount = caller.GetAsync,
            LockWait = request.LockWait,
            Outbox = outbox,
            DryRun = request.DryRun,
            Warn = console.WriteWarning,
            MaxEntriesPerList = parse.GetValue(aws.MaxEntries),
            Groups = groups
                ? new AwsSecurityGroupSyncOptions { Name = settings.ListName, GroupIds = parse.GetValue(aws.GroupIds) ?? [], RulesPerGroup = parse.GetValue(aws.RulesPerGroup) }
                : null,
            CidrRules = parse.GetValue(aws.CidrRules),
        });
    }

    /// <summary>Makes the client and runs the sync, turning every expected failure into one line and its exit code.</summary>
    private static async Task<T> RunSyncAsync<T>(
        Func<(IAmazonEC2 Client, AwsAccountSync Sync)> create, Func<AwsAccountSync, CancellationToken, Task<T>> run, CancellationToken cancellationToken)
    {
        const string Untouched = "; the account was left as it was";
        try
        {
            (IAmazonEC2 client, AwsAccountSync sync) = create();
            using (client)
            {
                return await run(sync, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SnapshotRefusedException ex)
        {
            throw new CliException(ex.Message + Untouched);
        }
        catch (Sync.FirewallSyncException ex)
        {
            // The lock and the state are the host sync's, whose lines speak of a firewall: here it is an account.
            throw new CliException(ex.FormatMessage(SettingFlags.For).Replace("the firewall was left as it was", "the account was left as it was", StringComparison.Ordinal));
        }
        catch (Exception ex) when (ex is IpRangesFormatException or IpRangesFetchException or Rules.RuleGenerationException)
        {
            throw new CliException(ex, suffix: Untouched);
        }
        catch (AwsSyncException ex)
        {
            throw new CliException(FirstLine(ex.Message), IsNetwork(ex) ? ExitCode.Network : ExitCode.BadInput);
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException)
        {
            // No region, no credentials, an endpoint that does not answer: before any change.
            throw new CliException($"AWS: {FirstLine(ex.Message)}{Untouched}", IsNetwork(ex) ? ExitCode.Network : ExitCode.BadInput);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot use the cache or the state: {ex.Message}");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^sg-[0-9a-f]{8}([0-9a-f]{9})?$")]
    private static partial System.Text.RegularExpressions.Regex GroupId();

    /// <summary>The first line of an AWS SDK message (some carry the answer's body on the lines after it).</summary>
    internal static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd();

    private static bool IsNetwork(Exception ex)
    {
        for (Exception? cause = ex; cause is not null; cause = cause.InnerException)
        {
            // IOException: a connection lost part-way (the response ended early).
            if (cause is HttpRequestException or SocketException or IOException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The client from the SDK's standard chain (AWS_REGION, AWS_ENDPOINT_URL, profiles, instance roles); --region and --profile override it.
    /// A region none of them gives is refused here, before any call: with AWS_ENDPOINT_URL set the SDK would sign for us-east-1
    /// and work there unasked.
    /// </summary>
    private static (AmazonEC2Client Client, AwsCallerAccount Caller) CreateClient(string? region, string? profile)
    {
        var config = new AmazonEC2Config();
        CredentialProfile? found = null;
        AWSCredentials? credentials = null;
        if (profile is not null)
        {
            var profiles = new CredentialProfileStoreChain();
            if (!profiles.TryGetProfile(profile, out found))
            {
                throw new CliException($"--profile {profile}: no such profile in the AWS config or credentials files", ExitCode.Usage);
            }

            // A profile that gives a region and no keys (they come from the environment or the instance's role) works as AWS_PROFILE does.
            credentials = profiles.TryGetAWSCredentials(profile, out AWSCredentials? keys) ? keys : null;
        }

        config.RegionEndpoint = region is not null ? RegionEndpoint.GetBySystemName(region)
            : found?.Region ?? FallbackRegionFactory.GetRegionEndpoint()
            ?? throw new CliException("AWS: no region: give --region REGION, or set AWS_REGION, or a region in the AWS config file's profile (AWS_PROFILE, --profile); " +
                "the account was left as it was", ExitCode.BadInput);
        // With an endpoint of its own (AWS_ENDPOINT_URL) the SDK signs for the region the environment names, else us-east-1, whatever
        // the region given here: the region is what the endpoint works in (moto and LocalStack keep each region apart).
        config.AuthenticationRegion = config.RegionEndpoint.SystemName;
        // The account is asked of STS with the same credentials, resolved only when it is asked (after the lock and the state's checks).
        var caller = new AwsCallerAccount(credentials, new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig
        {
            RegionEndpoint = config.RegionEndpoint,
            AuthenticationRegion = config.AuthenticationRegion,
            // One answer within 20 s, one try again: a run whose STS does not answer goes on with the lists' owner soon.
            Timeout = TimeSpan.FromSeconds(20),
            MaxErrorRetry = 1,
        });
        return (credentials is null ? new AmazonEC2Client(config) : new AmazonEC2Client(credentials, config), caller);
    }

    /// <summary>The options only the AWS formats read.</summary>
    internal sealed class AwsOptions
    {
        public Option<string?> Region { get; } = new("--region")
        {
            Description = "AWS formats: the region. Default: the SDK's chain (AWS_REGION, the profile, the instance).",
            HelpName = "REGION",
        };

        public Option<string?> Profile { get; } = new("--profile")
        {
            Description = "AWS formats: a profile of the AWS config and credentials files. Default: the SDK's chain.",
            HelpName = "PROFILE",
        };

        public Option<int> MaxEntries { get; } = MaxEntriesOption();

        public Option<bool> Remove { get; } = new("--remove")
        {
            Description = "AWS formats: revoke every rule this sync added under --name (in the --group-id groups, else wherever found), then delete its " +
                "prefix lists, for users who stop using it.",
        };

        public Option<string[]> GroupIds { get; } = new("--group-id")
        {
            Description = $"{SecurityGroups}: a security group to keep (repeatable). Default: the groups already holding its rules or referencing its prefix lists.",
            HelpName = "SG-ID",
        };

        public Option<bool> CidrRules { get; } = new("--cidr-rules")
        {
            Description = $"{SecurityGroups}: one rule per port and CIDR instead of rules referencing the prefix lists (which it then neither creates nor changes).",
        };

        public Option<int> RulesPerGroup { get; } = RulesPerGroupOption();

        public IEnumerable<Option> All => [Region, Profile, MaxEntries, Remove, GroupIds, CidrRules, RulesPerGroup];

        public IEnumerable<Option> GroupOnly => [GroupIds, CidrRules, RulesPerGroup];

        private static Option<int> RulesPerGroupOption() => UpTo1000(
            "--rules-per-group",
            $"{SecurityGroups}: AWS's rules-per-group quota, per direction and family (a prefix list reference counts its MaxEntries). Default: 60.",
            60,
            "AWS's most rules per security group");

        private static Option<int> MaxEntriesOption() => UpTo1000(
            "--max-entries",
            $"{AwsFormats.PrefixListSyncFormat}: the most entries in one prefix list before a family is split over another (1 to 1000). Default: 1000.",
            1000,
            "AWS's most entries in a prefix list");

        /// <summary>A count option from 1 to 1000, the bound AWS sets for both of these quotas.</summary>
        private static Option<int> UpTo1000(string name, string description, int defaultValue, string bound)
        {
            var option = new Option<int>(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => defaultValue };
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() is < 1 or > 1000)
                {
                    result.AddError($"{name} must be 1 to 1000 ({bound}).");
                }
            });
            return option;
        }
    }
}
