using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using FirewallRules.Ranges;
using FirewallRules.Verification;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules verify</c>: can this host reach the site's Agent endpoints, and do their addresses match the ranges?</summary>
internal static class VerifyCommand
{
    private static readonly string[] Headings = ["HOST", "PORT", "SECTION", "ADDRESS", "PUBLISHED", "KIND", "CONNECT", "RESULT"];

    private const string Help = """
        Check that this host can use a site's Agent endpoints: resolve each host name the Agent sends to
        with the system resolver, and for every address say which section publishes it, whether it lies
        inside that section's published prefixes, whether it is a private address (a PrivateLink or
        Private Service Connect endpoint), and with --kernel whether a connection to it on its port gets
        through this host's firewall. Exit 0 when every endpoint is usable, 1 with the table when not.

        Examples:
          fwrules verify --site eu1
          fwrules verify --site us1 --section logs --kernel
          fwrules verify --site us1 --input ip-ranges.json --kernel --timeout 5s
        """;

    public static Command Create(CliConsole console)
    {
        var options = new VerifyOptions();
        Command command = CommonOptions.Command("verify", Help, options.All);
        options.AgentConfig.AddValidator(command);

        command.Validators.Add(result =>
        {
            if (result.IsGiven(options.Input) && result.IsGiven(options.Remote.BaseUrl))
            {
                result.AddError("--input reads a saved document: it cannot be combined with --base-url.");
            }
            else if (result.GetResult(options.Remote.Site) is { Implicit: false, Tokens: [var token] } && Site.TryParse(token.Value, out Site? chosen) && chosen.IsCustom)
            {
                result.AddError("--site must be a Datadog site such as us1 or eu1 (the Agent's host names are the site's); give a mirror with --base-url.");
            }
        });
        command.Validators.Add(result => CommonOptions.ValidateBaseUrl(result, options.Remote.BaseUrl, options.Remote.AllowHttp));
        command.SetAction((parse, cancellationToken) => RunAsync(options.Bind(parse), console, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Request request, CliConsole console, CancellationToken cancellationToken)
    {
        IReadOnlyList<AgentEndpoint> endpoints = Endpoints(request);
        if (request.Agent is null && endpoints.Count == 0)
        {
            // Remote Configuration's section before Agent 7.47 or on US1-FED: an empty check would say every address is usable.
            throw new CliException(
                $"the Agent {request.AgentVersion ?? AgentEndpoints.DefaultAgentVersion} uses no endpoint of the sections given on {request.Site}: nothing to verify");
        }

        if (request.Agent is { } agent)
        {
            (endpoints, RemoteSource source) = await AgentVerify.EndpointsAsync(
                agent, request.Source, request.Sections, console, request.Quiet, cancellationToken).ConfigureAwait(false);
            request = request with { Source = source, Site = source.Site };
        }

        IpRangesDocument document = request.Input is { } path
            ? DocumentInput.Load(path)
            : await request.Source.CreateClient(console).GetAsync(request.Source.Site, cancellationToken).ConfigureAwait(false);
        var verifier = new AgentEndpointVerifier(document, Dns.GetHostAddressesAsync, request.ConnectTimeout);
        IReadOnlyList<EndpointFinding> findings = await verifier.VerifyAsync(endpoints, cancellationToken).ConfigureAwait(false);
        OutputTarget.WriteText(console, path: null, Table(findings));
        int problems = findings.Count(f => f.Problem is not null);
        if (!request.Quiet)
        {
            console.WriteNote(string.Create(CultureInfo.InvariantCulture,
                $"verify: {Wording.Count(endpoints.Count, "endpoint", "endpoints")} of {request.Site} against {Wording.Document(document)}: " +
                $"{(problems == 0 ? "every address is usable" : $"{problems} of {findings.Count} not usable")}"));
        }

        return problems == 0 ? ExitCode.Success : ExitCode.BadInput;
    }

    private static IReadOnlyList<AgentEndpoint> Endpoints(Request request) =>
        request.Sections.Length == 0
            ? AgentEndpoints.For(request.Site, request.AgentVersion)
            : AgentEndpoints.For(request.Site, request.Sections.Select(name => Sections.TryParse(name, out Section section) ? section : default), request.AgentVersion);

    private static string Table(IReadOnlyList<EndpointFinding> findings)
    {
        var rows = new List<string[]> { Headings };
        rows.AddRange(findings.Select(f => new[]
        {
            f.Endpoint.HostName,
            f.Endpoint.Port.ToString(),
            Sections.GetName(f.Endpoint.Section),
            f.Address?.ToString() ?? "-",
            f.Address is null ? "-" : f.Published ? "yes" : "no",
            f.Address is null ? "-" : f.AddressKind.ToString().ToLowerInvariant(),
            f.Connect is { } outcome ? Describe(outcome) : "-",
            f.Problem ?? "ok",
        }));
        var text = new StringBuilder();
        TextTable.Append(text, rows);
        return text.ToString();
    }

    private static string Describe(ConnectOutcome outcome) => outcome switch
    {
        ConnectOutcome.Connected => "connected",
        ConnectOutcome.Refused => "refused",
        ConnectOutcome.NoAnswer => "no answer",
        ConnectOutcome.NoRoute => "no route",
        _ => "denied",
    };

    /// <summary>The verb's options, declared once per command tree, and how they bind into a <see cref="Request"/>.</summary>
    private sealed class VerifyOptions
    {
        private static readonly string Covered = string.Join(", ", AgentEndpoints.CoveredSections.Select(FirewallRules.Ranges.Sections.GetName));

        public RemoteSourceOptions Remote { get; } = new();

        public Option<string[]> Sections { get; } = SectionsOption();

        public Option<bool> Kernel { get; } = new("--kernel")
        {
            Description = "Also open a TCP connection to every address on the endpoint's port (as listed), so this host's nftables or iptables rules decide.",
        };

        public Option<TimeSpan> Timeout { get; } =
            CommonOptions.Duration("--timeout", "How long each connection attempt of --kernel may take (at most 1h). Default: 3s.", TimeSpan.FromSeconds(3), TimeSpan.FromHours(1));

        public Option<string?> Input { get; } = new Option<string?>("--input", "-i")
        {
            Description = "Compare with this saved ip-ranges document instead of fetching the site's current one.",
            HelpName = "FILE",
        }.NamingA("file");

        public IEnumerable<Option> All => [Remote.Site, Sections, Kernel, Timeout, Input, Remote.BaseUrl, Remote.Retries, Remote.AllowHttp, .. AgentConfig.All];

        /// <summary>The agent's own configuration, and --agent-version, which also names the endpoints without one.</summary>
        public AgentConfigOptions AgentConfig { get; } = new();

        public Request Bind(ParseResult parse) => BindOptions(parse) with
        {
            Agent = AgentConfig.Bind(parse) is { } sources
                ? new(sources, Remote.Named(parse))
                : null,
        };

        private Request BindOptions(ParseResult parse) => new(
            parse.GetValue(Remote.Site)!,
            Remote.Bind(parse),
            parse.GetValue(Input),
            parse.GetValue(Sections) ?? [],
            parse.GetValue(Kernel) ? parse.GetValue(Timeout) : null,
            parse.GetValue(AgentConfig.Version),
            parse.GetValue(CommonOptions.Quiet));

        private static Option<string[]> SectionsOption()
        {
            var sections = new Option<string[]>("--section", "-s")
            {
                Description = $"Only the endpoints of these sections (repeatable): {Covered}. Default: all.",
                HelpName = "NAME",
                AllowMultipleArgumentsPerToken = true,
            };
            sections.Validators.Add(result =>
            {
                foreach (string name in result.GetValueOrDefault<string[]>() ?? [])
                {
                    if (!FirewallRules.Ranges.Sections.TryParse(name, out Section section) || !AgentEndpoints.CoveredSections.Contains(section))
                    {
                        string nearest = Suggestions.Nearest(name, AgentEndpoints.CoveredSections.Select(FirewallRules.Ranges.Sections.GetName)) is string near
                            ? $" Did you mean '{near}'?"
                            : string.Empty;
                        result.AddError($"--section {name}: the Agent has no endpoint for it; use {Covered}.{nearest}");
                    }
                }
            });
            return sections;
        }
    }

    /// <summary>What one run was asked to do, however the command line spelled it.</summary>
    private sealed record Request(
        Site Site, RemoteSource Source, string? Input, string[] Sections, TimeSpan? ConnectTimeout, string? AgentVersion, bool Quiet)
    {
        /// <summary>The agent's own configuration, naming the endpoints (<see cref="AgentVerify"/>).</summary>
        public AgentVerify.Selection? Agent { get; init; }
    }
}
