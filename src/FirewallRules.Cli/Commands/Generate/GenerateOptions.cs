using System.CommandLine;
using System.CommandLine.Parsing;
using FirewallRules.Emitters;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Cli.Commands;

/// <summary><c>generate</c>'s options, their checks across each other, and their binding into a <see cref="GenerateRequest"/>.</summary>
internal sealed class GenerateOptions
{
    private readonly EmitterRegistry _registry;

    public GenerateOptions(EmitterRegistry registry)
    {
        _registry = registry;
        IReadOnlyDictionary<string, string> formats = Choices.Of(registry.Formats.Select(f => f.Format));
        Format = Choices.Single("--format", ["-f"], formats, $"The target: {string.Join(", ", formats.Keys)} (see 'fwrules formats').");
        Format.Required = true;
        Format.HelpName = "FORMAT";
        Platform = new PlatformOptions(registry);
    }

    public Option<string> Format { get; }

    public Option<string[]> Sections { get; } = new("--section", "-s")
    {
        Description = "A section of the ip-ranges document (repeatable). Default: every section whose direction is --direction.",
        HelpName = "NAME",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string?> Input { get; } = new Option<string?>("--input", "-i")
    {
        Description = "A saved ip-ranges document. Default: the snapshot embedded in the tool (US1, offline, old).",
        HelpName = "FILE",
    }.NamingA("file");

    public Option<bool> Live { get; } = new("--live")
    {
        Description = "Fetch the site's current document instead of using the embedded snapshot (retries, then exit 3 if the network fails).",
    };

    public RemoteSourceOptions Remote { get; } = new();

    public Option<Direction?> Direction { get; } = Choices.Optional("--direction", ["-d"], Choices.Of<Direction>(),
        "egress (your hosts connect to Datadog) or ingress (Datadog connects to you). Default: each section's documented direction; egress when selecting all sections.");

    public Option<PortRange[]> Ports { get; } = CommonOptions.Ports();

    public Option<RuleAction?> Action { get; } = Choices.Optional("--action", [], Choices.Of<RuleAction>(),
        "allow (the default: an allow-list) or deny (a blocklist of the same prefixes).");

    public Option<int?> MaxRules { get; } = CommonOptions.AtLeastOne("--max-rules",
        "At most N prefixes per address family in each rule: longer lists are summarised optimally and the extra addresses reported.");

    /// <summary>The default name: the allow-list's, as <c>sync</c> loads it.</summary>
    internal const string DefaultName = "datadog";

    /// <summary>
    /// The listener protection's default name (<c>--agent</c>): one of its own, so applying it by hand never replaces the
    /// allow-list a sync keeps under <see cref="DefaultName"/> (short enough for ipset's 31 characters).
    /// </summary>
    internal const string ListenerName = "datadog-agent";

    public Option<string> Name { get; } = CommonOptions.Name(
        $"Prefix of every table, chain, set, group or rule name the output creates (with --agent: {ListenerName}, apart from the allow-list's).", DefaultName);

    public Option<AddressFamilies?> Family { get; } = CommonOptions.Family("both, or the one family of a format that holds one (iptables: ipv4)");

    public Option<bool> NoComments { get; } = new("--no-comments") { Description = "Leave out comments (provenance, rule descriptions)." };

    public Option<string?> UpdateFrom { get; } = new Option<string?>("--update-from")
    {
        Description = "nftables formats and ipset: instead of the whole output, the element changes from the rules of this older saved document " +
            "(nftables: one transaction; ipset: checks first, then add and del).",
        HelpName = "FILE",
    }.NamingA("file");

    /// <summary>The options only some formats take, as their descriptions declare them.</summary>
    public PlatformOptions Platform { get; }

    public Option<AgentKind?> Agent { get; } = CommonOptions.Agent(
        "Instead of Datadog's ranges: protect this agent's local listeners, reachable from loopback only. See 'fwrules ports'.", "-a");

    public Option<string[]> Features { get; } = new("--feature")
    {
        Description = "With --agent: only these listeners (repeatable), e.g. --feature statsd --feature opentelemetry.",
        HelpName = "FEATURE",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<KeyValuePair<string, string>[]> OpenTo { get; } = CommonOptions.OpenTo();

    public Option<string?> Output { get; } = CommonOptions.Output();

    /// <summary>The agent's own configuration: render exactly what it uses.</summary>
    public AgentConfigOptions AgentConfig { get; } = new();

    /// <summary>Every option, in the order help lists them.</summary>
    public IEnumerable<Option> All =>
    [
        Format, Sections, Input, Live, .. Remote.All, Direction, Ports, Action, MaxRules, Name, Family, NoComments, UpdateFrom,
        .. Platform.All, Agent, Features, OpenTo, .. AgentConfig.All, Output,
    ];

    /// <summary>The checks that involve more than one option.</summary>
    public void AddValidators(Command command)
    {
        command.Validators.Add(CheckSource);
        command.Validators.Add(CheckListeners);
        AgentConfig.AddValidator(command);
        command.Validators.Add(result => SectionNames.Validate(result, Sections, Ports));
        command.Validators.Add(result =>
        {
            if (result.GetResult(Format) is { Tokens: [var token] } && _registry.Contains(token.Value))
            {
                CheckFormat(result, token.Value);
            }
        });
    }

    public GenerateRequest Bind(ParseResult parse)
    {
        string format = parse.GetRequiredValue(Format);
        // Without --family, what the format holds (its description's families): both for most, IPv4 alone for iptables.
        AddressFamilies? family = parse.GetValue(Family);
        var shared = new GenerateRequest.Shared(
            parse.GetRequiredValue(Name), !parse.GetValue(NoComments), family ?? _registry.Describe(format).Families, parse.GetValue(MaxRules), family is null);
        var request = new GenerateRequest(_registry, format, shared, Platform.Bind(parse), parse.GetValue(Output), parse.GetValue(CommonOptions.Quiet));
        if (AgentConfig.Bind(parse) is { } sources)
        {
            return request with
            {
                Agent = new(sources, BindRanges(parse), Remote.Named(parse),
                    parse.GetValue(Features) is { Length: > 0 } chosen ? chosen : null, parse.GetValue(OpenTo) ?? []),
            };
        }

        if (parse.GetValue(Agent) is AgentKind agent)
        {
            return request with
            {
                Emitter = parse.GetResult(Name) is { Implicit: false } ? shared : shared with { Name = ListenerName },
                Listeners = new(agent, parse.GetValue(Features) is { Length: > 0 } features ? features : null, parse.GetValue(OpenTo) ?? []),
            };
        }

        return request with { Ranges = BindRanges(parse) };
    }

    private GenerateRequest.RangesSelection BindRanges(ParseResult parse) =>
        new(parse.GetValue(Input), parse.GetValue(Live) ? Remote.Bind(parse) : null, parse.GetValue(Sections) ?? [], parse.GetValue(Direction),
            parse.GetValue(Ports) is { Length: > 0 } ports ? ports : null, parse.GetValue(Action) ?? RuleAction.Allow, parse.GetValue(UpdateFrom))
        {
            InputSite = parse.GetResult(Remote.Site) is { Implicit: false } ? parse.GetValue(Remote.Site) : null,
        };

    // Where the document comes from: --input, --live (with its site and mirror), or the embedded snapshot.
    private void CheckSource(CommandResult result)
    {
        bool live = result.IsGiven(Live);
        Site? site = result.GetResult(Remote.Site) is { Implicit: false, Tokens: [var token] } && Site.TryParse(token.Value, out Site? chosen) ? chosen : null;
        if (live && result.IsGiven(Input))
        {
            result.AddError("--input reads a saved document: it cannot be combined with --live.");
        }
        else if (!live && !result.IsGiven(Input) && site is not null && site != Site.US1 && !ByName(result))
        {
            result.AddError($"the embedded snapshot is US1's: add --live to fetch {site.Name}'s current ranges, or --input FILE.");
        }
        else if (!live && Remote.All.Where(o => o != Remote.Site).FirstOrDefault(result.IsGiven) is Option remote)
        {
            result.AddError($"{remote.Name} applies to fetching: add --live (without it, the embedded snapshot or --input is read).");
        }
    }

    // Whether the format allows host names (its output holds no address), or --by-name writes outbound rules as names (Cilium's
    // toFQDNs): offline, --site names them, no document needed.
    private bool ByName(CommandResult result) =>
        result.GetResult(Format) is { Tokens: [var token] } && _registry.Contains(token.Value)
            && (_registry.AllowsNames(token.Value)
                || (Platform.IsGiven(result, "--by-name") && result.GetValue(Direction) is null or global::FirewallRules.Direction.Egress));

    private void CheckListeners(CommandResult result)
    {
        Option[] rangeOnly = [Sections, Input, Direction, Ports, Action, Live, UpdateFrom, .. Remote.All];
        bool configured = AgentConfig.IsGiven(result);
        if (result.IsGiven(Agent) && configured)
        {
            result.AddError(
                $"--agent takes the catalog's listeners; {AgentConfigOptions.Listed} read them from the agent's configuration: " +
                "give one or the other.");
        }
        else if (AgentConfig.VersionWithoutConfiguration(result) is string versionAlone)
        {
            result.AddError(versionAlone);
        }
        else if (result.IsGiven(Agent) && rangeOnly.FirstOrDefault(result.IsGiven) is Option given)
        {
            result.AddError($"--agent generates rules for local listeners: {given.Name} applies to Datadog's ranges.");
        }
        else if (configured && new Option[] { Direction, Ports, Action, UpdateFrom }.FirstOrDefault(result.IsGiven) is Option fixedByConfig)
        {
            result.AddError($"{fixedByConfig.Name} does not apply with an agent's configuration: the directions and ports are the ones its features use.");
        }
        else if (!result.IsGiven(Agent) && !configured && (result.IsGiven(Features) || result.IsGiven(OpenTo)))
        {
            result.AddError($"--feature and --open need --agent or an agent configuration ({AgentConfigOptions.Listed}).");
        }
    }

    // What the format can render, as its description says: its families, its platform's options, an update.
    private void CheckFormat(CommandResult result, string format)
    {
        FormatDescription description = _registry.Describe(format);
        if (result.GetResult(Family) is { Tokens: [var family] } && Choices.Of<AddressFamilies>().TryGetValue(family.Value, out AddressFamilies families)
            && (families & description.Families) == 0)
        {
            // The formats rendering that family's prefixes: not those allowing host names, which render none.
            IEnumerable<string> others = _registry.Descriptions.Where(d => (d.Families & families) == families && !_registry.AllowsNames(d.Name)).Select(d => d.Name);
            result.AddError($"{description.Name} renders {Choices.Word(description.Families)} only: for --family {family.Value} use {string.Join(", ", others)}.");
        }

        if (result.IsGiven(UpdateFrom) && description.Update is null)
        {
            string formats = string.Join(", ", _registry.Descriptions.Where(d => d.Update is not null).Select(d => d.Name));
            result.AddError($"--update-from applies to {formats}: {description.Name} has no incremental form, generate it whole " +
                "(the iptables-ipset rules stay the same when only prefixes change: update their sets with --format ipset --update-from).");
        }

        Platform.Check(result, format);
    }
}
