using System.CommandLine;
using System.Globalization;
using System.Text;
using FirewallRules.Emitters;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules generate</c>: ip-ranges in, firewall rules for one platform out.</summary>
internal static class GenerateCommand
{
    public static Command Create(CliConsole console, EmitterRegistry registry)
    {
        var options = new GenerateOptions(registry);
        Command command = CommonOptions.Command("generate", """
            Generate firewall rules for Datadog's IP ranges.

            Examples:
              fwrules generate --format nftables --section logs
              fwrules generate -f iptables -s agents -s logs -o datadog.rules
              fwrules generate -f aws-sg --direction egress --max-rules 60 --input ip-ranges.json
              fwrules generate -f terraform --live --site eu1 -s agents -s logs
              fwrules generate -f nftables --agent datakit --feature statsd --feature opentelemetry
              fwrules generate -f iptables --agent datadog --open dogstatsd=10.0.0.0/8
            """,
            options.All);

        options.AddValidators(command);
        command.SetAction((parse, cancellationToken) => RunAsync(options.Bind(parse), console, registry, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(GenerateRequest request, CliConsole console, EmitterRegistry registry, CancellationToken cancellationToken)
    {
        RuleSet rules = request.Listeners is { } listeners
            ? ListenerRules(listeners)
            : await RangeRulesAsync(request.Ranges!, cancellationToken).ConfigureAwait(false);
        GenerateRequest.Shared shared = request.Emitter;
        var options = new EmitterOptions
        {
            Name = shared.Name,
            Comments = shared.Comments,
            Families = shared.Families,
            MaxPrefixesPerRule = shared.MaxPrefixesPerRule,
        };
        IRuleEmitter emitter = registry.Create(request.Format, options);

        // Render completely before writing anything: a refusal must leave no partial output.
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        RuleSet rendered = rules.Render(emitter, text);
        OutputTarget.WriteText(console, request.Output, text.ToString());
        if (!request.Quiet)
        {
            console.WriteNote(Describe(emitter, rendered, options));
            AwsFormats.WriteDeployNote(console, emitter, text.ToString());
        }

        return ExitCode.Success;
    }

    private static RuleSet ListenerRules(GenerateRequest.ListenerSelection listeners)
    {
        var open = new Dictionary<string, PrefixSet>(StringComparer.OrdinalIgnoreCase);
        foreach (IGrouping<string, string> feature in listeners.OpenTo.GroupBy(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase))
        {
            open[feature.Key] = PrefixArguments.Parse($"--open {feature.Key}", feature);
        }

        return LocalListenerRules.For(listeners.Agent, new LocalListenerOptions { Features = listeners.Features, OpenTo = open });
    }

    private static async Task<RuleSet> RangeRulesAsync(GenerateRequest.RangesSelection ranges, CancellationToken cancellationToken)
    {
        IpRangesDocument document = ranges switch
        {
            { Remote: RemoteSource remote } => await remote.CreateClient().GetAsync(remote.Site, cancellationToken).ConfigureAwait(false),
            { Input: string path } => DocumentInput.Load(path),
            _ => IpRangesDocument.Embedded,
        };
        if (ranges.Sections.Count == 0)
        {
            Direction direction = ranges.Direction ?? Direction.Egress;
            RuleSet all = RuleSet.All(document, direction);
            return ranges.Ports is null ? all : RuleSet.For(document, all.Provenance.Sections, new RuleSetOptions { Direction = direction, Ports = ranges.Ports });
        }

        return RuleSet.For(document, ranges.Sections, new RuleSetOptions { Direction = ranges.Direction, Ports = ranges.Ports });
    }

    // rendered: the rules the output holds, as the render step prepared them (ip6tables: IPv6 only).
    private static string Describe(IRuleEmitter emitter, RuleSet rendered, EmitterOptions options)
    {
        RuleSetProvenance source = rendered.Provenance;
        var text = new StringBuilder($"generate: {emitter.Format} for {string.Join(", ", source.Sections)}");
        if (source.Version is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" from ip-ranges version {source.Version} ({source.Modified})");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"; {rendered.Rules.Count} rules, {rendered.Prefixes.IPv4.Count} IPv4 and {rendered.Prefixes.IPv6.Count} IPv6 prefixes");
        if (options.MaxPrefixesPerRule is not null)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"; --max-rules allowed {rendered.ExtraIPv4Addresses} extra IPv4 and {rendered.ExtraIPv6Addresses} extra IPv6 addresses");
        }

        if (source.IsEmbeddedSnapshot)
        {
            text.Append("\nnote: this is the snapshot shipped with the tool (US1, version ").Append(source.Version)
                .Append(", ").Append(source.Modified).Append("), not the live list: add --live, or --input a fresh document.");
        }

        return text.ToString();
    }
}
