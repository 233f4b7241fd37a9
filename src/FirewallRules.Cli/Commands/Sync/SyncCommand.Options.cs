using System.CommandLine;
using FirewallRules.Emitters;
using FirewallRules.Ports;
using FirewallRules.Rules;
using FirewallRules.Sync;

namespace FirewallRules.Cli.Commands;

/// <summary>The sync verb's options.</summary>
internal static partial class SyncCommand
{
    /// <summary>The verb's options, declared once per command tree, and how they bind into a <see cref="Request"/>.</summary>
    private sealed class SyncOptions
    {
        public Option<string> Format { get; } = FormatOption();

        public Option<string[]> Sections { get; } = new("--section", "-s")
        {
            Description = "A section of the ip-ranges document (repeatable). Default: every egress section (for a server's file: every inbound one, webhooks and synthetics).",
            HelpName = "NAME",
            AllowMultipleArgumentsPerToken = true,
        };

        public RemoteSourceOptions Remote { get; } = new();

        public Option<string> Cache { get; } = CommonOptions.Cache();

        public Option<string> State { get; } = new Option<string>("--state")
        {
            Description = "Where sync remembers when each prefix was last published and what it applied. Default: $XDG_STATE_HOME/fwrules, else ~/.local/state/fwrules.",
            HelpName = "DIR",
            DefaultValueFactory = _ => UserDirectories.State,
        }.NamingA("directory");

        public Option<TimeSpan> KeepRemoved { get; } = CommonOptions.Duration("--keep-removed",
            "Keep allowing a prefix this long after Datadog stops publishing it (0 drops it at once). Default: 24h.", TimeSpan.FromHours(24));

        public Option<bool> DryRun { get; } =
            new("--dry-run") { Description = "Print the element changes a sync would make, and change nothing (the document is still fetched into the cache)." };

        public Option<Uri?> Notify { get; } = CommonOptions.Notify();

        public Option<string> Name { get; } = CommonOptions.Name("Prefix of every table, chain and set name.", "datadog");

        public Option<string?> Table { get; } = TableOption();

        public Option<AddressFamilies?> Family { get; } = CommonOptions.Family();

        public Option<AgentKind?> Agent { get; } = CommonOptions.Agent(
            "Also own this agent's listener protection (what 'generate --agent' renders), in the same table and transaction, so the two never replace each other.");

        public Option<string[]> Features { get; } = new("--feature")
        {
            Description = "With --agent: only these listeners (repeatable).",
            HelpName = "FEATURE",
            AllowMultipleArgumentsPerToken = true,
        };

        public Option<KeyValuePair<string, string>[]> OpenTo { get; } = CommonOptions.OpenTo();

        public Option<bool> Offline { get; } = new("--offline")
        {
            Description = "Host formats: make no request, load the newest document of the cache (still bounded by --max-stale; exit 0).",
        };

        public Option<TimeSpan> MaxStale { get; } = CommonOptions.Duration("--max-stale",
            "Host formats: when the fetch fails (or with --offline), load the cached copy only if the upstream confirmed it less than this long ago (0 for no bound). Default: 7d.",
            TimeSpan.FromDays(7));

        public Option<TimeSpan> LockWait { get; } =
            CommonOptions.Duration("--lock-wait", "How long to wait for another sync to finish before giving up. Default: 60s.", TimeSpan.FromSeconds(60));

        public IEnumerable<Option> All =>
            [Format, Sections, Remote.Site, Remote.BaseUrl, Cache, State, KeepRemoved, Offline, MaxStale, DryRun, Notify, Name, Table, Family, Agent, Features,
                OpenTo, LockWait, Remote.Retries, Remote.AllowHttp,
                .. AgentConfig.All, .. ServerFile.All];

        public ServerFileOptions ServerFile { get; } = new();

        public AgentConfigOptions AgentConfig { get; } = new();

        public Request Bind(ParseResult parse) => Bound(parse) with { Settings = ServerFile.Bind(parse, Bound(parse).Settings) };

        private Request Bound(ParseResult parse) => Bind(parse, Remote.Bind(parse)) with
        {
            NameGiven = parse.GetResult(Name) is { Implicit: false },
            Agent = AgentConfig.Bind(parse) is { } sources
                ? new(sources, Remote.Named(parse),
                    parse.GetValue(Features) is { Length: > 0 } chosen ? chosen : null, parse.GetValue(OpenTo) ?? [])
                : null,
        };

        private Request Bind(ParseResult parse, RemoteSource source) => new(
            source,
            new SyncSettings(
                source.Site,
                parse.GetRequiredValue(Format),
                parse.GetValue(Sections) ?? [],
                parse.GetRequiredValue(Name),
                parse.GetValue(Table),
                parse.GetValue(Family) ?? AddressFamilies.Both,
                parse.GetValue(KeepRemoved)) with
            {
                Listeners = Listeners(parse, out string key),
                ListenersKey = key,
            },
            UsableDirectory(parse, Cache),
            UsableDirectory(parse, State),
            parse.GetValue(DryRun),
            parse.GetValue(Notify),
            parse.GetValue(LockWait),
            parse.GetValue(CommonOptions.Quiet),
            parse.GetValue(Offline),
            parse.GetValue(MaxStale));

        /// <summary>The directory <paramref name="option"/> names, refused before the lock, the fetch or the firewall when it is no directory.</summary>
        private static string UsableDirectory(ParseResult parse, Option<string> option)
        {
            string path = parse.GetRequiredValue(option);
            CommonOptions.RequireDirectory(path, option.Name);
            return path;
        }

        /// <summary>The listener protection --agent asks for, as generate renders it; null without --agent.</summary>
        private RuleSet? Listeners(ParseResult parse, out string key)
        {
            key = string.Empty;
            if (parse.GetValue(Agent) is not AgentKind agent)
            {
                return null;
            }

            string[]? features = parse.GetValue(Features) is { Length: > 0 } chosen ? chosen : null;
            KeyValuePair<string, string>[] open = parse.GetValue(OpenTo) ?? [];
            key = $"{PortCatalog.GetKey(agent)} features={string.Join(',', features ?? [])} open={string.Join(',', open.Select(pair => $"{pair.Key}={pair.Value}"))}";
            try
            {
                return new ListenerSelection(agent, features, open).Rules();
            }
            catch (RuleGenerationException ex)
            {
                throw new CliException(ex);
            }
        }

        // The nftables table, described and checked as the formats that load into one declare it (their table setting).
        private static Option<string?> TableOption()
        {
            SyncCapability[] tables = [.. EmitterRegistry.Default.SyncTargets.Select(t => t.Capability).Where(c => c.HasTable)];
            FormatSetting table = tables.Select(c => c.Table!).Distinct().Single();
            return new Option<string?>("--table")
            {
                Description = tables.Select(c => c.TableHelp).Distinct().Single(),
                HelpName = table.ValueName,
            }.Requiring(table.IsValid, table.Rule);
        }

        // The formats whose folder declares what sync does with them: host backends, then cloud targets.
        private static Option<string> FormatOption()
        {
            string[] formats = [.. EmitterRegistry.Default.SyncTargets.Select(t => t.Format)];
            Option<string> format = Choices.Single("--format", ["-f"], Choices.Of(formats),
                "What to load: " + string.Join(", ", formats) + ".");
            format.Required = true;
            format.HelpName = "FORMAT";
            return format;
        }
    }
}
