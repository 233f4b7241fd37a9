using System.CommandLine;
using FirewallRules.Emitters;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Cli.Commands;

/// <summary><c>generate</c>'s options, their checks across each other, and their binding into a <see cref="GenerateRequest"/>.</summary>
internal sealed class GenerateOptions
{
    public GenerateOptions(EmitterRegistry registry)
    {
        Format = new Option<string>("--format", "-f")
        {
            Description = "The target: " + string.Join(", ", registry.Formats.Select(f => f.Format)) + " (see 'fwrules formats').",
            Required = true,
            HelpName = "FORMAT",
        };
        Format.AcceptOnlyFromAmong([.. registry.Formats.Select(f => f.Format)]);
    }

    public Option<string> Format { get; }

    public Option<string[]> Sections { get; } = new("--section", "-s")
    {
        Description = "A section of the ip-ranges document (repeatable). Default: every section whose direction is --direction.",
        HelpName = "NAME",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string?> Input { get; } = new("--input", "-i")
    {
        Description = "A saved ip-ranges document. Default: the snapshot embedded in the tool (US1, offline, old).",
        HelpName = "FILE",
    };

    public Option<bool> Live { get; } = new("--live")
    {
        Description = "Fetch the site's current document instead of using the embedded snapshot (retries, then exit 3 if the network fails).",
    };

    public RemoteSourceOptions Remote { get; } = new();

    public Option<Direction?> Direction { get; } = Choices.Optional("--direction", ["-d"], Choices.Of<Direction>(),
        "egress (your hosts connect to Datadog) or ingress (Datadog connects to you). Default: each section's documented direction; egress when selecting all sections.");

    public Option<PortRange[]> Ports { get; } = CommonOptions.Ports();

    public Option<int?> MaxRules { get; } = CommonOptions.AtLeastOne("--max-rules",
        "At most N prefixes per address family in each rule: longer lists are summarised optimally and the extra addresses reported.");

    public Option<string> Name { get; } = CommonOptions.Name("Prefix of every table, chain, set, group or rule name the output creates.", "datadog");

    public Option<AddressFamilies?> Family { get; } = CommonOptions.Family();

    public Option<bool> NoComments { get; } = new("--no-comments") { Description = "Leave out comments (provenance, rule descriptions)." };

    public Option<AgentKind?> Agent { get; } = CommonOptions.Agent(
        "Instead of Datadog's ranges: protect this agent's local listeners, reachable from loopback only. See 'fwrules ports'.");

    public Option<string[]> Features { get; } = new("--feature")
    {
        Description = "With --agent: only these listeners (repeatable), e.g. --feature statsd --feature opentelemetry.",
        HelpName = "FEATURE",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<KeyValuePair<string, string>[]> OpenTo { get; } = CommonOptions.OpenTo();

    public Option<string?> Output { get; } = CommonOptions.Output();

    /// <summary>Every option, in the order help lists them.</summary>
    public IEnumerable<Option> All =>
    [
        Format, Sections, Input, Live, .. Remote.All, Direction, Ports, MaxRules, Name, Family, NoComments, Agent, Features, OpenTo, Output,
    ];

    /// <summary>The checks that involve more than one option.</summary>
    public void AddValidators(Command command)
    {
        command.Validators.Add(result =>
        {
            bool fetch = result.IsGiven(Live) || result.IsGiven(Remote.BaseUrl);
            if (fetch && result.IsGiven(Input))
            {
                result.AddError("--input reads a saved document: it cannot be combined with --live or --base-url.");
            }
            else if (!fetch && result.GetResult(Remote.Site) is { Implicit: false, Tokens: [var token] }
                && Site.TryParse(token.Value, out Site? chosen) && chosen != Site.US1)
            {
                result.AddError($"the embedded snapshot is US1's: add --live to fetch {chosen.Name}'s current ranges, or --input FILE.");
            }
        });
        command.Validators.Add(result =>
        {
            bool listeners = result.IsGiven(Agent);
            if (listeners && new Option[] { Sections, Input, Direction, Ports, Live, Remote.BaseUrl }.Any(result.IsGiven))
            {
                result.AddError("--agent generates rules for local listeners: it cannot be combined with --section, --input, --live, --base-url, --direction or --port.");
            }
            else if (!listeners && (result.IsGiven(Features) || result.IsGiven(OpenTo)))
            {
                result.AddError("--feature and --open need --agent.");
            }
        });
    }

    public GenerateRequest Bind(ParseResult parse)
    {
        var shared = new GenerateRequest.Shared(
            parse.GetRequiredValue(Name), !parse.GetValue(NoComments), parse.GetValue(Family) ?? AddressFamilies.Both, parse.GetValue(MaxRules));
        var request = new GenerateRequest(parse.GetRequiredValue(Format), shared, parse.GetValue(Output), parse.GetValue(CommonOptions.Quiet));
        if (parse.GetValue(Agent) is AgentKind agent)
        {
            return request with
            {
                Listeners = new(agent, parse.GetValue(Features) is { Length: > 0 } features ? features : null, parse.GetValue(OpenTo) ?? []),
            };
        }

        bool fetch = parse.GetValue(Live) || parse.GetValue(Remote.BaseUrl) is not null;
        return request with
        {
            Ranges = new(parse.GetValue(Input), fetch ? Remote.Bind(parse) : null, parse.GetValue(Sections) ?? [], parse.GetValue(Direction),
                parse.GetValue(Ports) is { Length: > 0 } ports ? ports : null),
        };
    }
}
