using System.CommandLine;
using System.Globalization;
using System.Text;
using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Kubernetes;
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
              fwrules generate -f iptables-script -s agents -s logs -o datadog.sh
              fwrules generate -f aws-sg --direction egress --max-rules 60 --input ip-ranges.json
              fwrules generate -f terraform --live --site eu1 -s agents -s logs
              fwrules generate -f nftables --agent datakit --feature statsd --feature opentelemetry
              fwrules generate -f nftables --agent-config /etc/datadog-agent/datadog.yaml --live
              fwrules generate -f iptables --agent datadog --open dogstatsd=10.0.0.0/8
              fwrules generate -f kubernetes --namespace datadog -s agents -s logs -s apm
              fwrules generate -f cilium --by-name --cluster-wide -s logs --live --site eu1
              fwrules generate -f gcp-firewall --network prod --target-tag datadog-agent
              fwrules generate -f ipset --input v47.json --update-from v46.json -o update.ipset
            """,
            options.All);

        options.AddValidators(command);
        command.SetAction((parse, cancellationToken) => RunAsync(options.Bind(parse), console, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(GenerateRequest request, CliConsole console, CancellationToken cancellationToken)
    {
        EmitterRegistry registry = request.Registry;
        GenerateRequest.Shared shared = request.Emitter;
        FormatDescription format = registry.Describe(request.Format);
        var sharedOptions = new EmitterOptions
        {
            Name = shared.Name,
            Comments = shared.Comments,
            Families = shared.Families,
            MaxPrefixesPerRule = shared.MaxPrefixesPerRule,
        };
        (RuleSet rules, RuleSet? previous, EmitterOptions options) = await RulesAsync(request, format, sharedOptions, console, cancellationToken).ConfigureAwait(false);
        IRuleEmitter emitter = registry.Create(request.Format, options);
        // The listener protection too: a loopback-only listener left open over IPv6 is as unprotected as a half allow-list.
        FamilyCoverage.Check(emitter, rules, shared.Families, registry);
        // Said even with --quiet, which silences advice and summaries, never that rules were left out.
        if (shared.FamilyDefaulted && FamilyCoverage.LeftOut(emitter, rules, registry) is string leftOut)
        {
            console.WriteWarning(leftOut);
        }

        // Streamed to the destination, never held whole in memory: an emitter refuses before writing its first character
        // (the render contract), and a file is replaced only once it is complete.
        long written = 0;
        RuleSet rendered = OutputTarget.WriteText(console, request.Output, destination =>
        {
            using var writer = new Utf8CountingWriter(destination);
            RuleSet result = previous is null ? rules.Render(emitter, writer) : WriteUpdate(format, emitter, rules, previous, writer);
            written = writer.Bytes;
            return result;
        });
        Report(request, console, format, emitter, options, previous is not null, rendered, written);
        return ExitCode.Success;
    }

    /// <summary>
    /// The summary, notes and warnings after a render; with --quiet only the format's warnings that rules were left out (a host
    /// an allow-list could not name), which --quiet never silences.
    /// </summary>
    private static void Report(GenerateRequest request, CliConsole console, FormatDescription format, IRuleEmitter emitter, EmitterOptions options, bool update,
        RuleSet rendered, long written)
    {
        // What an allow-list leaves out comes first, as its other warnings do, one line per host; other formats' after the summary.
        string[] cuts = format.Warning(new WarningArguments(emitter.Options, rendered)) is { } advice
            ? advice.Format(SettingFlags.For).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : [];
        if (request.Quiet)
        {
            Array.ForEach([.. cuts.Where(CliConsole.SaysLeftOut)], console.WriteWarning);
            return;
        }

        bool first = request.Registry.AllowsNames(format.Name);
        Array.ForEach(first ? cuts : [], console.WriteWarning);
        (int, int)? names = emitter is IByNameEmitter byName ? (byName.HostNames(rendered), byName.RelayAddresses(rendered)) : null;
        WrittenCounts? held = (emitter as IWrittenCounts)?.Written(rendered);
        console.WriteNote(Describe(update ? emitter.Format + " update" : emitter.Format, rendered, options, names, held, Allowed(emitter, rendered, held)));
        if (format.Note(written) is string note)
        {
            console.WriteNote($"note: {note}");
        }

        string? named = request.Listeners is not null && request.Emitter.Name == GenerateOptions.DefaultName ? SharedName : null;
        foreach (string warning in (first ? [] : cuts).Concat(new[] { Stale(rendered.Provenance), named }.OfType<string>()))
        {
            console.WriteWarning(warning);
        }
    }

    /// <summary>The rules to render (and the document an update starts from), and the format's options with what the agent's plan sets on them.</summary>
    private static async Task<(RuleSet Rules, RuleSet? Previous, EmitterOptions Options)> RulesAsync(
        GenerateRequest request, FormatDescription format, EmitterOptions shared, CliConsole console, CancellationToken cancellationToken)
    {
        if (request.Agent is { } agent)
        {
            AgentRendered rendered = await AgentGenerate.RenderAsync(agent, request.Registry, format.Name, shared, request.Platform, console, request.Quiet, cancellationToken)
                .ConfigureAwait(false);
            return (rendered.Rules, null, rendered.Options);
        }

        EmitterOptions options = format.Configure(new ConfigureArguments(shared, request.Platform));
        // No section named: the format's own direction's (a web server's allow-list admits who calls in).
        GenerateRequest.RangesSelection selection = request.Ranges! is { Sections.Count: 0, Direction: null } none
            ? none with { Direction = format.DefaultDirection }
            : request.Ranges!;
        (RuleSet ranges, RuleSet? previous) = request.Listeners is { } listeners
            ? (listeners.Rules(), null)
            : await RangeRulesAsync(selection, request.Quiet ? null : console, cancellationToken).ConfigureAwait(false);
        bool byName = options is KubernetesPolicyOptions { ByName: true };
        bool namesOffline = (request.Registry.AllowsNames(format.Name) || (byName && request.Ranges!.InputSite is not null)) && request.Ranges is { Remote: null, Input: null };
        return (namesOffline ? NamesOf(ranges, request.Ranges!.InputSite, byName) : ranges, previous, options);
    }

    // A name-aware format (or Cilium's --by-name) with no document given: the names are the site's for the sections and ports, which
    // the embedded snapshot (US1's) only stands in for; the output says so by naming no document (--by-name, by saying it holds no ranges).
    private static RuleSet NamesOf(RuleSet sections, Site? site, bool byName) =>
        RuleSet.Create(sections.Rules, new RuleSetProvenance(site ?? Site.US1, null, null, sections.Provenance.Sections, IsEmbeddedSnapshot: false) { NamesOnly = byName });

    /// <summary>The listener protection asked to take the allow-list's name: applying it replaces an allow-list loaded there.</summary>
    private const string SharedName =
        $"--name {GenerateOptions.DefaultName} is the allow-list's name (generate and sync load it there): applying this listener protection " +
        $"replaces an allow-list loaded under it; keep the default --name {GenerateOptions.ListenerName}, or let sync own both with --agent";

    /// <summary>The rules of the selected sections, and for an update those of the same selection in the older document.</summary>
    private static async Task<(RuleSet Rules, RuleSet? Previous)> RangeRulesAsync(GenerateRequest.RangesSelection ranges, CliConsole? console, CancellationToken cancellationToken)
    {
        IpRangesDocument document = ranges switch
        {
            { Remote: RemoteSource remote } => Mirrored(await remote.CreateClient(console).GetAsync(remote.Site, cancellationToken).ConfigureAwait(false), ranges.InputSite),
            { Input: string path } => DocumentInput.Load(path, ranges.InputSite),
            _ => IpRangesDocument.Embedded,
        };
        if (ranges is { Input: string input, InputSite: Site named } && AgentDocuments.SiteOfPath(input) is Site ofPath && ofPath != named && !named.IsCustom)
        {
            console?.WriteWarning($"--site {named.Name.ToLowerInvariant()} reads {input} as {named.Name}'s document, but its path names {ofPath.Name}'s: "
                + $"its prefixes (and any host names) are rendered as {named.Name}'s");
        }

        string[] unknown = [.. document.SectionList.Where(s => s.KnownSection is null).Select(s => s.Name)];
        if (ranges.Sections.Count == 0 && unknown.Length > 0)
        {
            console?.WriteWarning($"skipped {(unknown.Length == 1 ? "a section" : "sections")} this version of fwrules does not know: " +
                $"{string.Join(", ", unknown)} (add one with --section NAME --port PORT --direction DIRECTION).");
        }

        return (Select(document, ranges), ranges.UpdateFrom is string older ? Select(DocumentInput.Load(older), ranges) : null);
    }

    // Through a mirror (--base-url), the document is the site's that --site names: host names (cilium --by-name) are that site's.
    private static IpRangesDocument Mirrored(IpRangesDocument fetched, Site? named) =>
        fetched.Site is { IsCustom: true } && named is { IsCustom: false } ? fetched.WithSite(named) : fetched;

    private static RuleSet Select(IpRangesDocument document, GenerateRequest.RangesSelection ranges)
    {
        if (ranges.Sections.Count == 0)
        {
            Direction direction = ranges.Direction ?? Direction.Egress;
            RuleSet all = RuleSet.All(document, direction);
            return ranges.Ports is null && ranges.Action == RuleAction.Allow
                ? all
                : RuleSet.For(document, all.Provenance.Sections, new RuleSetOptions { Direction = direction, Ports = ranges.Ports, Action = ranges.Action });
        }

        return RuleSet.For(document, ranges.Sections, new RuleSetOptions { Direction = ranges.Direction, Ports = ranges.Ports, Action = ranges.Action });
    }

    // The update, and what it leaves loaded: the current rules as the render step prepares them for the full output.
    private static RuleSet WriteUpdate(FormatDescription format, IRuleEmitter emitter, RuleSet rules, RuleSet previous, TextWriter output)
    {
        Func<UpdateArguments, RuleSet> update = format.Update ?? throw new InvalidOperationException($"{format.Name} has no incremental update");
        return update(new UpdateArguments(rules, previous, emitter.Options, output));
    }

    // What the output allows traffic for: the names' sections or features, else the written rules', else the sources of the rules with prefixes.
    private static IReadOnlyList<string> Allowed(IRuleEmitter emitter, RuleSet rendered, WrittenCounts? held) =>
        (emitter as IByNameEmitter)?.Features(rendered) ?? held?.Features
            ?? [.. rendered.Rules.Where(rule => !rule.Prefixes.IsEmpty).SelectMany(rule => rule.Sources).Distinct(StringComparer.Ordinal)];

    // rendered: the rules the output holds, as the render step prepared them (ip6tables: IPv6 only).
    // hostNames: for a format that allows names, how many it holds, and the relay addresses beside them (counted instead of rules and prefixes).
    // written: for a format whose output holds less than the rules (or names beside them), what it wrote.
    // allowed: what the output allows traffic for (sections, the agent's features), named after "for" in the provenance's order;
    // what the provenance lists but the output does not allow (a plan's hosts an output by address cannot hold) is not named.
    // A port rule is one direction and port: the unit of the count, however many lines or objects a format writes for it.
    private static string Describe(string output, RuleSet rendered, EmitterOptions options, (int Names, int Addresses)? hostNames, WrittenCounts? written,
        IReadOnlyList<string> allowed)
    {
        RuleSetProvenance source = rendered.Provenance;
        string[] named = [.. source.Sections.Where(allowed.Contains).Concat(allowed.Except(source.Sections, StringComparer.Ordinal))];
        var text = new StringBuilder($"generate: {output} for {(named.Length > 0 ? string.Join(", ", named) : "nothing")}");
        if (source.Version is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" from ip-ranges version {source.Version} ({Wording.Date(source.Modified)})");
        }

        text.Append(rendered.HoldsNoRanges || source.NamesOnly ? "; no Datadog ranges (no ip-ranges document read)" : string.Empty);
        if (written is { Policies: int policies })
        {
            return text.Append(DescribePolicies(policies, written, rendered, options)).ToString();
        }

        int names = hostNames?.Names ?? written?.HostNames ?? 0;
        if (hostNames is not null || names > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {Wording.Count(names, "host name", "host names")}");
            text.Append(hostNames is { Addresses: > 0 and int addresses } ? $" and {Wording.Count(addresses, "relay address", "relay addresses")}" : string.Empty);
            if (hostNames is not null || written is { Rules: 0 })
            {
                return text.ToString();
            }
        }

        (int rules, int ipv4, int ipv6) = written is { } counts
            ? (counts.Rules, counts.IPv4, counts.IPv6)
            : (rendered.Rules.Count, rendered.Prefixes.IPv4.Count, rendered.Prefixes.IPv6.Count);
        text.Append(CultureInfo.InvariantCulture,
            $"; {Wording.Count(rules, "port rule", "port rules")}, {Wording.FamilyCounts(ipv4, ipv6)}");
        if (options.MaxPrefixesPerRule is not null)
        {
            text.Append(DescribeCost(rendered));
        }

        return text.ToString();
    }

    // A policy format (kubernetes, cilium, calico): the policies the file holds, then what they allow: host names, rules by
    // address with their prefixes, and by name what the others allow (the in-cluster destinations, DNS).
    private static string DescribePolicies(int policies, WrittenCounts written, RuleSet rendered, EmitterOptions options)
    {
        var parts = new List<string>();
        if (written.HostNames > 0)
        {
            parts.Add(Wording.Count(written.HostNames, "host name", "host names"));
        }

        if (written.Rules > 0 || written.HostNames == 0)
        {
            parts.Add($"{Wording.Count(written.Rules, "port rule by address", "port rules by address")} ({Wording.FamilyCounts(written.IPv4, written.IPv6)}" +
                $"{(options.MaxPrefixesPerRule is null ? string.Empty : DescribeCost(rendered))})");
        }

        parts.AddRange(written.Others ?? []);
        return $"; {Wording.Count(policies, "policy", "policies")}: {string.Join(", ", parts)}";
    }

    // Apart from Describe: UInt128 keeps code from being precompiled, and only a run with --max-rules needs it.
    private static string DescribeCost(RuleSet rendered) => string.Create(CultureInfo.InvariantCulture,
        $"; --max-rules allowed {Wording.Addresses(rendered.ExtraIPv4Addresses)} extra IPv4 and {Wording.Addresses(rendered.ExtraIPv6Addresses)} extra IPv6 addresses");

    // The embedded snapshot is old: a warning, not part of the routine summary.
    private static string? Stale(RuleSetProvenance source) => source.IsEmbeddedSnapshot
        ? $"this is the snapshot shipped with the tool (US1, version {source.Version}, {Wording.Date(source.Modified)}), " +
            "not the live list: add --live, or --input a fresh document."
        : null;
}
