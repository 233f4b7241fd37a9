using System.CommandLine;
using FirewallRules.Emitters;
using FirewallRules.PrivateLink;

namespace FirewallRules.Cli.Commands;

/// <summary><c>privatelink</c>'s options and their binding into a <see cref="PrivateLinkRequest"/>.</summary>
internal sealed class PrivateLinkCommandOptions
{
    private readonly EmitterRegistry _registry;
    private readonly IReadOnlyDictionary<PrivateConnectivityKind, IReadOnlyList<string>> _formats;
    private readonly IReadOnlyList<FormatSetting> _settings;
    private readonly Dictionary<string, Option> _settingOptions = new(StringComparer.Ordinal);

    public PrivateLinkCommandOptions(EmitterRegistry registry)
    {
        _registry = registry;
        _formats = Enum.GetValues<PrivateConnectivityKind>().ToDictionary(kind => kind, kind => EmitterRegistry.DescribePrivateConnectivity(kind).FormatsIn(registry));
        IReadOnlyDictionary<string, string> formats = Choices.Of(_formats.Values.SelectMany(f => f).Distinct(StringComparer.OrdinalIgnoreCase));
        Format = Choices.Single("--format", ["-f"], formats,
            $"AWS ({string.Join(", ", _formats[PrivateConnectivityKind.AwsPrivateLink])}): the security group rules, or with CloudFormation and Terraform also the " +
            "interface endpoints and, for --mode peered-vpc, Route 53 private hosted zones. " +
            $"Azure ({string.Join(", ", _formats[PrivateConnectivityKind.AzurePrivateLink])}): terraform for the private endpoints, DNS zones and NSG; the others for the NSG. " +
            $"Google Cloud ({string.Join(", ", _formats[PrivateConnectivityKind.GcpPrivateServiceConnect])}): " +
            $"Terraform or a gcloud script for the endpoints, DNS zones and firewall rule.");
        Format.Required = true;
        Format.HelpName = "FORMAT";
        Site.Required = true;
        Site.DefaultValueFactory = null;
        // The settings each kind's rules take, declared by its cloud's folder: one option per flag.
        _settings = [.. Enum.GetValues<PrivateConnectivityKind>().SelectMany(kind => EmitterRegistry.DescribePrivateConnectivity(kind).Settings)];
        foreach (IGrouping<string, FormatSetting> flag in _settings.GroupBy(s => s.Flag))
        {
            _settingOptions[flag.Key] = PlatformOptions.Create(flag.Key, [.. flag]);
        }
    }

    public Option<string> Format { get; }

    public Option<Site> Site { get; } = CommonOptions.Site();

    public Option<string[]> AgentNetworks { get; } = new("--agent-network", "-n")
    {
        Description = "AWS, Azure: a network the agents send from (repeatable, or comma-separated): the endpoints accept 443/tcp from these only.",
        HelpName = "PREFIX",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string[]> EndpointSubnets { get; } = new("--endpoint-subnet", "-e")
    {
        Description = "AWS, Google Cloud: a subnet the endpoints are in (repeatable, or comma-separated): the agents may reach 443/tcp there, instead of Datadog's public ranges.",
        HelpName = "PREFIX",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<DatadogService[]> Services { get; } = Choices.Several("--service", [],
        Enum.GetValues<DatadogService>().ToDictionary(PrivateLinkCatalog.GetKey, StringComparer.OrdinalIgnoreCase),
        "Only these intakes (repeatable): " + string.Join(", ", Enum.GetValues<DatadogService>().Select(PrivateLinkCatalog.GetKey)) + ". Default: all.");

    public Option<PrivateLinkMode?> Mode { get; } = Choices.Optional("--mode", ["-m"], Choices.Of<PrivateLinkMode>(),
        "AWS: same-region (the default: agents in Datadog's region), cross-region (cross-region endpoints in the agents' region) " +
        "or peered-vpc (endpoints in Datadog's region, Route 53 zones for a peered VPC).");

    public Option<DocumentationSource?> Prefer { get; } = Choices.Optional("--prefer", [],
        Choices.Of(DocumentationSource.EndpointTable, DocumentationSource.RegionsConfig),
        "AWS: where Datadog's documentation sources disagree on an endpoint service (see 'fwrules sites SITE'): follow endpoint-table (the newer) or regions-config.");

    public Option<bool> AgentsOnly { get; } = new("--agents-only")
    {
        Description = "AWS: only the agents' egress rules (443/tcp to the endpoint subnets), for a group in another VPC or region, such as a peered VPC's.",
    };

    public Option<AzureZoneRecords?> ZoneRecords { get; } = Choices.Optional("--zone-records", [], Choices.Of<AzureZoneRecords>(),
        "Azure: the A records of the private DNS zones other than agent.<site>, where Datadog's guides differ: wildcard ('*' only, as the Azure guide says) " +
        "or wildcard-and-apex ('*' and the zone's own name, which the Agent connects to). Required for those zones.");

    public Option<bool> GlobalAccess { get; } = new("--global-access")
    {
        Description = "Google Cloud: let agents outside Datadog's region use the endpoints (the forwarding rules' global access).",
    };

    public Option<string> Name { get; } = CommonOptions.Name("Prefix of every group, endpoint and zone name the output creates.", PrivateLinkRendering.DefaultName);

    public Option<bool> NoComments { get; } = new("--no-comments") { Description = "Leave out comments (provenance, deployment notes, rule descriptions)." };

    public Option<string?> Output { get; } = CommonOptions.Output();

    public IEnumerable<Option> All => [Format, Site, AgentNetworks, EndpointSubnets, Services, Mode, Prefer, AgentsOnly, ZoneRecords, GlobalAccess, .. _settingOptions.Values,
        Name, NoComments, Output];

    /// <summary>Per kind of private connectivity: the options it needs, the options only it takes, and its formats.</summary>
    public void AddValidators(Command command)
    {
        // The networks each kind's plan requires, as its cloud's folder names them, through their flags.
        Option[] networks = [AgentNetworks, EndpointSubnets];
        Dictionary<PrivateConnectivityKind, Option[]> needs = Enum.GetValues<PrivateConnectivityKind>().ToDictionary(kind => kind, kind =>
            EmitterRegistry.DescribePrivateConnectivity(kind).Requires.Select(setting => networks.Single(o => o.Name == SettingFlags.OptionFor(setting))).ToArray());
        var only = new Dictionary<PrivateConnectivityKind, Option[]>
        {
            [PrivateConnectivityKind.AwsPrivateLink] = [Mode, Prefer, AgentsOnly, .. SettingOptions(PrivateConnectivityKind.AwsPrivateLink)],
            [PrivateConnectivityKind.AzurePrivateLink] = [ZoneRecords, .. SettingOptions(PrivateConnectivityKind.AzurePrivateLink)],
            [PrivateConnectivityKind.GcpPrivateServiceConnect] = [GlobalAccess, .. SettingOptions(PrivateConnectivityKind.GcpPrivateServiceConnect)],
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(Site) is not { Tokens: [var token] } || !FirewallRules.Site.TryParse(token.Value, out Site? site))
            {
                return;
            }

            PrivateConnectivityKind kind = PrivateLinkCommand.KindOf(site).Kind;
            string offering = $"{PrivateConnectivity.NameOf(kind)} ({site.Name})";
            if (needs[kind].FirstOrDefault(o => !result.IsGiven(o)) is Option missing)
            {
                result.AddError($"{missing.Name} is required for {offering}.");
            }
            else if (needs.Values.SelectMany(o => o).Concat(only.Values.SelectMany(o => o)).Except(needs[kind]).Except(only[kind]).FirstOrDefault(result.IsGiven) is Option other)
            {
                result.AddError($"{other.Name} does not apply to {offering}.");
            }
            else if (result.GetResult(Format) is { Tokens: [var format] } && !_formats[kind].Contains(format.Value, StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"--format {format.Value}: {offering} renders as {string.Join(", ", _formats[kind])}.");
            }
        });
    }

    public PrivateLinkRequest Bind(ParseResult parse) => new(
        _registry,
        new PrivateConnectivityRequest(parse.GetRequiredValue(Format), parse.GetRequiredValue(Site), parse.GetRequiredValue(Name), !parse.GetValue(NoComments))
        {
            AgentNetworks = PrefixArguments.Parse("--agent-network", parse.GetValue(AgentNetworks) ?? []),
            EndpointSubnets = PrefixArguments.Parse("--endpoint-subnet", parse.GetValue(EndpointSubnets) ?? []),
            Services = parse.GetValue(Services) is { Length: > 0 } services ? services : null,
            Mode = parse.GetValue(Mode) ?? PrivateLinkMode.SameRegion,
            PreferredSource = parse.GetValue(Prefer),
            AgentsOnly = parse.GetValue(AgentsOnly),
            AgentRulesCommand = PrivateLinkCommand.AgentRulesCommand,
            ZoneRecords = parse.GetValue(ZoneRecords),
            GlobalAccess = parse.GetValue(GlobalAccess),
            Settings = PlatformOptions.Bind(parse, _settings, _settingOptions),
        },
        parse.GetValue(Output),
        parse.GetValue(CommonOptions.Quiet));

    // The options of a kind's settings, as its cloud's folder declares them.
    private IEnumerable<Option> SettingOptions(PrivateConnectivityKind kind) =>
        EmitterRegistry.DescribePrivateConnectivity(kind).Settings.Select(s => _settingOptions[s.Flag]).Distinct();
}
