using System.CommandLine;
using System.Globalization;
using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using FirewallRules.Ranges;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules plan</c>: what an agent's own configuration says it contacts and listens on.</summary>
internal static class PlanCommand
{
    private const string Help = """
        Show what an agent will contact and where it listens, from its own configuration.
        It is read as the agent reads it: datadog.yaml, its DD_* environment (which wins over the file), or the
        Helm chart's values.
        Each host with the feature that needs it, the ip-ranges section that covers it (or why none does),
        protocol and port; each listener with its bind address. With --input or --live, the prefixes too.

        Examples:
          fwrules plan --agent-config /etc/datadog-agent/datadog.yaml
          fwrules plan --agent-config datadog.yaml --agent-env /etc/datadog-agent/environment --live
          fwrules plan --agent-env /proc/$(pidof agent)/environ --json
          fwrules plan --helm-values values.yaml --agent-version 7.60.0
          fwrules plan --agent-config datadog.yaml --input ranges.json --site eu1
          fwrules plan --agent-config datadog.yaml --allow-list squid -o /etc/squid/conf.d/datadog-agent.conf
          fwrules plan --agent-config datadog.yaml --allow-list aws-network-firewall -o datadog-hosts.json
        """;

    public static Command Create(CliConsole console, EmitterRegistry registry)
    {
        var options = new PlanOptions(registry);
        Command command = CommonOptions.Command("plan", Help, options.All);
        options.Agent.AddValidator(command);
        command.Validators.Add(result =>
        {
            if (!options.Agent.IsGiven(result))
            {
                result.AddError($"plan reads an agent's configuration: give one of {AgentConfigOptions.Listed}.");
            }
            else if (result.GetValue(options.AllowList) is string format && !ByName(registry).Contains(format))
            {
                result.AddError($"--allow-list: use one of {string.Join(", ", ByName(registry))}.");
            }
            else if (result.IsGiven(options.Input) && result.IsGiven(options.Live))
            {
                result.AddError("--input reads a saved document: it cannot be combined with --live.");
            }
            else if (!result.IsGiven(options.Live)
                && options.Remote.All.Where(o => !(o == options.Remote.Site && result.IsGiven(options.Input))).FirstOrDefault(result.IsGiven) is Option remote)
            {
                result.AddError($"{remote.Name} applies to fetching: add --live.");
            }
        });
        command.SetAction((parse, cancellationToken) => RunAsync(options.Bind(parse), console, cancellationToken));
        return command;
    }

    // The formats that allow host names: an allow-list prints what generate -f FORMAT writes for the same configuration.
    private static string[] ByName(EmitterRegistry registry) => [.. registry.Formats.Select(f => f.Format).Where(registry.AllowsNames)];

    private static async Task<int> RunAsync(Request request, CliConsole console, CancellationToken cancellationToken)
    {
        AgentPlan plan = await AgentConfigOptions.ReadAsync(request.Sources, request.Quiet ? null : console, cancellationToken).ConfigureAwait(false);
        request.Site.Check(plan);
        IpRangesDocument? document = request switch
        {
            { AllowList: not null } => null,
            { Input: string path } => AgentDocuments.Input(path, request.InputSite, plan, console),
            { Remote: RemoteSource remote } =>
                await AgentDocuments.FetchAsync(remote, request.Site.Given, plan, request.Quiet ? null : console, cancellationToken).ConfigureAwait(false),
            _ => null,
        };
        string text = request.AllowList is string format
            ? PlanRules.ByName(plan).Render(request.Registry.Create(format))
            : request.Json ? AgentPlanText.Json(plan, document) : AgentPlanText.Table(plan, document);
        OutputTarget.WriteText(console, request.Output, text);
        if (!request.Quiet)
        {
            console.WriteNote(string.Create(CultureInfo.InvariantCulture,
                $"plan: agent {plan.AgentVersion} on {plan.Site}: {Wording.Count(plan.Destinations.Count, "destination", "destinations")}, " +
                $"{Wording.Count(plan.Listeners.Count, "listener", "listeners")}, " +
                $"sections {(plan.Sections.Count == 0 ? "none" : string.Join(", ", plan.Sections.Select(Sections.GetName)))}"));
        }

        return ExitCode.Success;
    }

    private sealed class PlanOptions(EmitterRegistry registry)
    {
        public AgentConfigOptions Agent { get; } = new();

        public Option<string?> Input { get; } =
            new Option<string?>("--input", "-i") { Description = "A saved ip-ranges document, to name each section's prefixes.", HelpName = "FILE" }.NamingA("file");

        public Option<bool> Live { get; } = new("--live") { Description = "Fetch the agent's site's current document, to name each section's prefixes." };

        public RemoteSourceOptions Remote { get; } = new();

        public Option<bool> Json { get; } = new("--json") { Description = "Print the plan as JSON, for tooling." };

        public Option<string?> Output { get; } = CommonOptions.Output();

        public Option<string?> AllowList { get; } = new("--allow-list")
        {
            Description = $"Print the hosts to allow by name instead, as generate -f FORMAT writes them: {string.Join(", ", ByName(registry))} "
                + "(domains: one host a line with its port/protocol and feature; squid: an include file for squid.conf).",
            HelpName = "FORMAT",
        };

        public IEnumerable<Option> All => [.. Agent.All, Input, Live, .. Remote.All, Json, Output, AllowList];

        public Request Bind(ParseResult parse) => new(
            registry,
            Agent.Bind(parse)!,
            parse.GetValue(Input),
            parse.GetValue(Live) ? Remote.Bind(parse) : null,
            Remote.Named(parse),
            parse.GetResult(Remote.Site) is { Implicit: false } && parse.GetValue(Input) is not null ? parse.GetValue(Remote.Site) : null,
            parse.GetValue(Json),
            parse.GetValue(AllowList),
            parse.GetValue(Output),
            parse.GetValue(CommonOptions.Quiet));
    }

    private sealed record Request(
        EmitterRegistry Registry, AgentConfigurationSources Sources, string? Input, RemoteSource? Remote, SiteChoice Site, Site? InputSite, bool Json, string? AllowList,
        string? Output, bool Quiet);
}
