using System.CommandLine;
using FirewallRules.Emitters;
using FirewallRules.PrivateLink;

namespace FirewallRules.Cli.Commands;

/// <summary><c>privatelink</c>'s options and their binding into a <see cref="PrivateLinkRequest"/>.</summary>
internal sealed class PrivateLinkCommandOptions
{
    public PrivateLinkCommandOptions(EmitterRegistry registry)
    {
        IReadOnlyDictionary<string, string> formats = Choices.Of(PrivateLinkCommand.Formats(registry));
        Format = Choices.Single("--format", ["-f"], formats,
            $"{string.Join(", ", formats.Keys)}: the security group rules, or with CloudFormation and Terraform also the interface endpoints and, for --mode peered-vpc, Route 53 private hosted zones.");
        Format.Required = true;
        Format.HelpName = "FORMAT";
        Site.Required = true;
        Site.DefaultValueFactory = null;
    }

    public Option<string> Format { get; }

    public Option<Site> Site { get; } = CommonOptions.Site();

    public Option<string[]> AgentNetworks { get; } = new("--agent-network", "-n")
    {
        Description = "A network the agents send from (repeatable, or comma-separated): the endpoints accept 443/tcp from these only.",
        Required = true,
        HelpName = "PREFIX",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string[]> EndpointSubnets { get; } = new("--endpoint-subnet", "-e")
    {
        Description = "A subnet the endpoints are in (repeatable, or comma-separated): the agents may reach 443/tcp there, instead of Datadog's public ranges.",
        Required = true,
        HelpName = "PREFIX",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<DatadogService[]> Services { get; } = Choices.Several("--service", [],
        Enum.GetValues<DatadogService>().ToDictionary(PrivateLinkCatalog.GetKey, StringComparer.OrdinalIgnoreCase),
        "Only these intakes (repeatable): " + string.Join(", ", Enum.GetValues<DatadogService>().Select(PrivateLinkCatalog.GetKey)) + ". Default: all.");

    public Option<PrivateLinkMode?> Mode { get; } = Choices.Optional("--mode", ["-m"], Choices.Of<PrivateLinkMode>(),
        "same-region (the default: agents in Datadog's region), cross-region (cross-region endpoints in the agents' region) or peered-vpc (endpoints in Datadog's region, Route 53 zones for a peered VPC).");

    public Option<DocumentationSource?> Prefer { get; } = Choices.Optional("--prefer", [],
        Choices.Of(DocumentationSource.EndpointTable, DocumentationSource.RegionsConfig),
        "Where Datadog's documentation sources disagree on an endpoint service (see 'fwrules sites SITE'): follow endpoint-table (the newer) or regions-config.");

    public Option<bool> AgentsOnly { get; } = new("--agents-only")
    {
        Description = "Only the agents' egress rules (443/tcp to the endpoint subnets), for a group in another VPC or region, such as a peered VPC's.",
    };

    public Option<string> Name { get; } = CommonOptions.Name("Prefix of every group, endpoint and zone name the output creates.", PrivateLinkRendering.DefaultName);

    public Option<bool> NoComments { get; } = new("--no-comments") { Description = "Leave out comments (provenance, deployment notes, rule descriptions)." };

    public Option<string?> Output { get; } = CommonOptions.Output();

    public IEnumerable<Option> All => [Format, Site, AgentNetworks, EndpointSubnets, Services, Mode, Prefer, AgentsOnly, Name, NoComments, Output];

    public PrivateLinkRequest Bind(ParseResult parse) => new(
        parse.GetRequiredValue(Format),
        parse.GetRequiredValue(Site),
        parse.GetValue(AgentNetworks) ?? [],
        parse.GetValue(EndpointSubnets) ?? [],
        parse.GetValue(Services) is { Length: > 0 } services ? services : null,
        parse.GetValue(Mode) ?? PrivateLinkMode.SameRegion,
        parse.GetValue(Prefer),
        parse.GetValue(AgentsOnly),
        parse.GetRequiredValue(Name),
        !parse.GetValue(NoComments),
        parse.GetValue(Output),
        parse.GetValue(CommonOptions.Quiet));
}
