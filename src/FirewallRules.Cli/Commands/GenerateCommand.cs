using System.CommandLine;
using System.Text;
using FirewallRules.Emitters;
using FirewallRules.Fetching;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules generate</c>: ip-ranges in, firewall rules for one platform out.</summary>
internal static class GenerateCommand
{
    public static Command Create(CliConsole console, EmitterRegistry registry)
    {
        var format = new Option<string>("--format", "-f")
        {
            Description = "The target: " + string.Join(", ", registry.Formats.Select(f => f.Format)) + " (see 'fwrules formats').",
            Required = true,
            HelpName = "FORMAT",
        };
        format.AcceptOnlyFromAmong([.. registry.Formats.Select(f => f.Format)]);
        var sections = new Option<string[]>("--section", "-s")
        {
            Description = "A section of the ip-ranges document (repeatable). Default: every section whose direction is --direction.",
            HelpName = "NAME",
            AllowMultipleArgumentsPerToken = true,
        };
        var input = new Option<string?>("--input", "-i")
        {
            Description = "A saved ip-ranges document. Default: the snapshot embedded in the tool (US1, offline, old).",
            HelpName = "FILE",
        };
        var live = new Option<bool>("--live")
        {
            Description = "Fetch the site's current document instead of using the embedded snapshot (retries, then exit 3 if the network fails).",
        };
        Option<Site> site = CommonOptions.Site();
        Option<Site?> baseUrl = CommonOptions.BaseUrl();
        Option<int> retries = CommonOptions.Retries();
        Option<bool> allowHttp = CommonOptions.AllowHttp();
        var direction = new Option<string?>("--direction", "-d")
        {
            Description = "egress (your hosts connect to Datadog) or ingress (Datadog connects to you). Default: each section's documented direction; egress when selecting all sections.",
            HelpName = "DIRECTION",
        };
        direction.AcceptOnlyFromAmong("egress", "ingress");
        var ports = new Option<string[]>("--port", "-p")
        {
            Description = "Destination port(s) instead of the documented ones, e.g. 443, 10516/tcp, 8125/udp (repeatable).",
            HelpName = "PORT",
            AllowMultipleArgumentsPerToken = true,
        };
        var maxRules = new Option<int?>("--max-rules")
        {
            Description = "At most N prefixes per address family in each rule: longer lists are summarised optimally and the extra addresses reported.",
            HelpName = "N",
        };
        maxRules.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--max-rules must be at least 1.");
            }
        });
        var name = new Option<string>("--name")
        {
            Description = "Prefix of every table, chain, set, group or rule name the output creates.",
            DefaultValueFactory = _ => "datadog",
            HelpName = "NAME",
        };
        name.Validators.Add(result =>
        {
            if (!EmitterOptions.IsValidName(result.GetValueOrDefault<string>()))
            {
                result.AddError("--name must be 1 to 20 characters: a letter, then letters, digits, - or _.");
            }
        });
        var family = new Option<string>("--family")
        {
            Description = "ipv4, ipv6 or both.",
            DefaultValueFactory = _ => "both",
            HelpName = "FAMILY",
        };
        family.AcceptOnlyFromAmong("ipv4", "ipv6", "both");
        var noComments = new Option<bool>("--no-comments") { Description = "Leave out comments (provenance, rule descriptions)." };
        var agent = new Option<string?>("--agent")
        {
            Description = "Instead of Datadog's ranges: protect this agent's local listeners (datadog, datadog-v5, datakit), reachable from loopback only. See 'fwrules ports'.",
            HelpName = "AGENT",
        };
        agent.AcceptOnlyFromAmong("datadog", "datadog-v7", "datadog-v6", "datadog-v5", "datadog-v4", "datakit");
        var features = new Option<string[]>("--feature")
        {
            Description = "With --agent: only these listeners (repeatable), e.g. --feature statsd --feature opentelemetry.",
            HelpName = "FEATURE",
            AllowMultipleArgumentsPerToken = true,
        };
        var openTo = new Option<string[]>("--open")
        {
            Description = "With --agent: also allow FEATURE from a network, e.g. --open dogstatsd=10.0.0.0/8 (the non-local traffic case; repeatable).",
            HelpName = "FEATURE=PREFIX",
        };

        Option<string?> output = CommonOptions.Output();

        var command = new Command("generate", """
            Generate firewall rules for Datadog's IP ranges.

            Examples:
              fwrules generate --format nftables --section logs
              fwrules generate -f iptables -s agents -s logs -o datadog.rules
              fwrules generate -f aws-sg --direction egress --max-rules 60 --input ip-ranges.json
              fwrules generate -f terraform --live --site eu1 -s agents -s logs
              fwrules generate -f nftables --agent datakit --feature statsd --feature opentelemetry
              fwrules generate -f iptables --agent datadog --open dogstatsd=10.0.0.0/8
            """)
        {
            format, sections, input, live, site, baseUrl, retries, allowHttp, direction, ports, maxRules, name, family, noComments, agent, features, openTo, output,
        };
        command.Validators.Add(result =>
        {
            bool fetch = result.IsGiven(live) || result.IsGiven(baseUrl);
            if (fetch && result.IsGiven(input))
            {
                result.AddError("--input reads a saved document: it cannot be combined with --live or --base-url.");
            }
            else if (!fetch && result.GetResult(site) is { Implicit: false, Tokens: [var token] }
                && Site.TryParse(token.Value, out Site? chosen) && chosen != Site.US1)
            {
                result.AddError($"the embedded snapshot is US1's: add --live to fetch {chosen.Name}'s current ranges, or --input FILE.");
            }
        });
        command.Validators.Add(result =>
        {
            bool listeners = result.IsGiven(agent);
            if (listeners && (result.IsGiven(sections) || result.IsGiven(input) || result.IsGiven(direction) || result.IsGiven(ports) || result.IsGiven(live) || result.IsGiven(baseUrl)))
            {
                result.AddError("--agent generates rules for local listeners: it cannot be combined with --section, --input, --live, --base-url, --direction or --port.");
            }
            else if (!listeners && (result.IsGiven(features) || result.IsGiven(openTo)))
            {
                result.AddError("--feature and --open need --agent.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            RuleSet rules;
            if (PortCatalog.TryParseAgent(parse.GetValue(agent), out AgentKind kind))
            {
                rules = LocalListenerRules.For(kind, new LocalListenerOptions
                {
                    Features = parse.GetValue(features) is { Length: > 0 } chosenFeatures ? chosenFeatures : null,
                    OpenTo = ParseOpenTo(parse.GetValue(openTo) ?? []),
                });
            }
            else
            {
                IpRangesDocument document = parse.GetValue(live) || parse.GetValue(baseUrl) is not null
                    ? await FetchAsync(parse.GetValue(baseUrl) ?? parse.GetValue(site)!, parse.GetValue(retries), parse.GetValue(allowHttp), cancellationToken).ConfigureAwait(false)
                    : parse.GetValue(input) is string path ? DocumentInput.Load(path) : IpRangesDocument.Embedded;
                Direction? chosen = parse.GetValue(direction) switch
                {
                    "egress" => Direction.Egress,
                    "ingress" => Direction.Ingress,
                    _ => null,
                };
                rules = SelectRules(document, parse.GetValue(sections) ?? [], chosen, ParsePorts(parse.GetValue(ports)));
            }
            var options = new EmitterOptions
            {
                Name = parse.GetRequiredValue(name),
                Comments = !parse.GetValue(noComments),
                Families = parse.GetRequiredValue(family) switch
                {
                    "ipv4" => AddressFamilies.IPv4,
                    "ipv6" => AddressFamilies.IPv6,
                    _ => AddressFamilies.Both,
                },
                MaxPrefixesPerRule = parse.GetValue(maxRules),
            };
            IRuleEmitter emitter = registry.Create(parse.GetRequiredValue(format), options);

            // Render completely before writing anything: a refusal must leave no partial output.
            using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
            RuleSet rendered = rules.Render(emitter, text);
            OutputTarget.Write(console, parse.GetValue(output), stream => stream.Write(Encoding.UTF8.GetBytes(text.ToString())));
            if (!parse.GetValue(CommonOptions.Quiet))
            {
                console.WriteNote(Describe(emitter, rendered, options));
            }

            return ExitCode.Success;
        });
        return command;
    }

    private static RuleSet SelectRules(IpRangesDocument document, string[] sections, Direction? direction, IReadOnlyList<PortRange>? ports)
    {
        if (sections.Length == 0)
        {
            RuleSet all = RuleSet.All(document, direction ?? Direction.Egress);
            return ports is null ? all : RuleSet.For(document, all.Provenance.Sections, new RuleSetOptions { Direction = direction ?? Direction.Egress, Ports = ports });
        }

        return RuleSet.For(document, sections, new RuleSetOptions { Direction = direction, Ports = ports });
    }

    private static async Task<IpRangesDocument> FetchAsync(Site site, int retries, bool allowHttp, CancellationToken cancellationToken)
    {
        try
        {
            return await IpRangesClient.Create(new IpRangesClientOptions { MaxRetryAttempts = retries, AllowInsecureHttp = allowHttp })
                .GetAsync(site, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex) when (ex.ParamName == "site")
        {
            throw new CliException($"{ex.Message}, or pass --allow-http", ExitCode.Usage);
        }
    }

    private static Dictionary<string, PrefixSet> ParseOpenTo(string[] texts)
    {
        var open = new Dictionary<string, PrefixSet>(StringComparer.OrdinalIgnoreCase);
        foreach (string text in texts)
        {
            string[] parts = text.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new CliException($"--open '{text}': write FEATURE=PREFIX, e.g. dogstatsd=10.0.0.0/8", ExitCode.Usage);
            }

            PrefixSet prefixes = PrefixSet.Parse(parts[1].Replace(',', '\n'));
            open[parts[0]] = open.TryGetValue(parts[0], out PrefixSet? earlier) ? earlier.Union(prefixes) : prefixes;
        }

        return open;
    }

    private static PortRange[]? ParsePorts(string[]? texts)
    {
        if (texts is not { Length: > 0 })
        {
            return null;
        }

        try
        {
            return texts.Select(PortRange.Parse).Distinct().ToArray();
        }
        catch (FormatException ex)
        {
            throw new CliException($"--port {ex.Message}", ExitCode.Usage);
        }
    }

    // rendered: the rules the output holds, as the render step prepared them (ip6tables: IPv6 only).
    private static string Describe(IRuleEmitter emitter, RuleSet rendered, EmitterOptions options)
    {
        RuleSetProvenance source = rendered.Provenance;
        var text = new StringBuilder($"generate: {emitter.Format} for {string.Join(", ", source.Sections)}");
        if (source.Version is not null)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $" from ip-ranges version {source.Version} ({source.Modified})");
        }

        text.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"; {rendered.Rules.Count} rules, {rendered.Prefixes.IPv4.Count} IPv4 and {rendered.Prefixes.IPv6.Count} IPv6 prefixes");
        if (options.MaxPrefixesPerRule is not null)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
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
