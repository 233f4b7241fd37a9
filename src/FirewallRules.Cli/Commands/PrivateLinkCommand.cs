using System.CommandLine;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.PrivateLink;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules privatelink</c>: AWS PrivateLink endpoints and their security groups, instead of Datadog's public ranges.</summary>
internal static class PrivateLinkCommand
{
    private static readonly string[] Formats = ["aws-sg", "aws-cloudformation", "terraform"];
    private static readonly Dictionary<string, DatadogService> ServiceKeys = Enum.GetValues<DatadogService>().ToDictionary(PrivateLinkCatalog.GetKey);

    public static Command Create(CliConsole console, EmitterRegistry registry)
    {
        var format = new Option<string>("--format", "-f")
        {
            Description = "aws-sg (the security group rules), aws-cloudformation or terraform (rules, interface endpoints and, for --mode peered-vpc, Route 53 private hosted zones).",
            Required = true,
            HelpName = "FORMAT",
        };
        format.AcceptOnlyFromAmong(Formats);
        Option<Site> site = CommonOptions.Site();
        site.Required = true;
        site.DefaultValueFactory = null;
        var agentNetworks = new Option<string[]>("--agent-network", "-a")
        {
            Description = "A network the agents send from (repeatable, or comma-separated): the endpoints accept 443/tcp from these only.",
            Required = true,
            HelpName = "PREFIX",
            AllowMultipleArgumentsPerToken = true,
        };
        var endpointSubnets = new Option<string[]>("--endpoint-subnet", "-e")
        {
            Description = "A subnet the endpoints are in (repeatable, or comma-separated): the agents may reach 443/tcp there, instead of Datadog's public ranges.",
            Required = true,
            HelpName = "PREFIX",
            AllowMultipleArgumentsPerToken = true,
        };
        var services = new Option<string[]>("--service", "-s")
        {
            Description = "Only these intakes (repeatable): logs-agent, logs-user, api, metrics, containers, process, profiling, traces, dbm, remote-config. Default: all.",
            HelpName = "SERVICE",
            AllowMultipleArgumentsPerToken = true,
        };
        services.AcceptOnlyFromAmong([.. ServiceKeys.Keys]);
        var mode = new Option<string>("--mode", "-m")
        {
            Description = "same-region (agents in Datadog's region), cross-region (cross-region endpoints in the agents' region) or peered-vpc (endpoints in Datadog's region, Route 53 zones for a peered VPC).",
            DefaultValueFactory = _ => "same-region",
            HelpName = "MODE",
        };
        mode.AcceptOnlyFromAmong("same-region", "cross-region", "peered-vpc");
        var prefer = new Option<string?>("--prefer")
        {
            Description = "Where Datadog's documentation sources disagree on an endpoint service (see 'fwrules sites SITE'): follow endpoint-table (the newer) or regions-config.",
            HelpName = "SOURCE",
        };
        prefer.AcceptOnlyFromAmong("endpoint-table", "regions-config");
        var agentsOnly = new Option<bool>("--agents-only")
        {
            Description = "Only the agents' egress rules (443/tcp to the endpoint subnets), for a group in another VPC or region, such as a peered VPC's.",
        };
        Option<string> name = CommonOptions.Name("Prefix of every group, endpoint and zone name the output creates.", PrivateLinkRendering.DefaultName);
        var noComments = new Option<bool>("--no-comments") { Description = "Leave out comments (provenance, deployment notes, rule descriptions)." };
        Option<string?> output = CommonOptions.Output();

        var command = new Command("privatelink", """
            Generate AWS PrivateLink to Datadog: the interface endpoints' security group accepting 443/tcp from the
            agents' networks only, the agents' group allowing 443/tcp to the endpoints' subnets instead of Datadog's
            public ranges, and (CloudFormation, Terraform) the endpoints themselves, with Route 53 private hosted zones
            for a peered VPC. Sites with AWS PrivateLink: us1, ap1, ap2, uk1 (see 'fwrules sites').

            Examples:
              fwrules privatelink --site us1 -a 10.0.0.0/16 -e 10.0.1.0/24 -f aws-cloudformation --prefer endpoint-table
              fwrules privatelink --site ap1 -a 10.0.0.0/16 -e 10.0.1.0/24 -f terraform --mode cross-region -s logs-agent -s metrics
              fwrules privatelink --site uk1 -a 172.16.0.0/12 -e 10.8.0.0/24,10.8.1.0/24 -f terraform --mode peered-vpc
              fwrules privatelink --site uk1 -a 172.16.0.0/12 -e 10.8.0.0/24 -f aws-sg --agents-only
            """)
        {
            format, site, agentNetworks, endpointSubnets, services, mode, prefer, agentsOnly, name, noComments, output,
        };
        command.SetAction(parse =>
        {
            var plan = PrivateLinkPlan.Create(new PrivateLinkOptions
            {
                Site = parse.GetRequiredValue(site),
                AgentNetworks = ParsePrefixes(parse.GetValue(agentNetworks)),
                EndpointSubnets = ParsePrefixes(parse.GetValue(endpointSubnets)),
                Services = parse.GetValue(services) is { Length: > 0 } keys ? [.. keys.Select(key => ServiceKeys[key])] : null,
                Mode = parse.GetRequiredValue(mode) switch
                {
                    "cross-region" => PrivateLinkMode.CrossRegion,
                    "peered-vpc" => PrivateLinkMode.PeeredVpc,
                    _ => PrivateLinkMode.SameRegion,
                },
                PreferredSource = parse.GetValue(prefer) switch
                {
                    "endpoint-table" => DocumentationSource.EndpointTable,
                    "regions-config" => DocumentationSource.RegionsConfig,
                    _ => null,
                },
            });
            var options = new AwsSecurityGroupOptions { Name = parse.GetRequiredValue(name), Comments = !parse.GetValue(noComments) };
            string chosen = parse.GetRequiredValue(format);

            // Render completely before writing anything: a refusal must leave no partial output.
            string text = (chosen, parse.GetValue(agentsOnly)) switch
            {
                (_, true) => plan.AgentRules.Render(registry.Create(chosen, options)),
                ("aws-cloudformation", false) => plan.ToCloudFormation(options),
                ("terraform", false) => plan.ToTerraform(options),
                _ => plan.EndpointVpcRules.Render(registry.Create(chosen, options)),
            };
            OutputTarget.WriteText(console, parse.GetValue(output), text);
            if (!parse.GetValue(CommonOptions.Quiet))
            {
                console.Error.WriteLine(
                    $"privatelink: {chosen} for {plan.Site}, {parse.GetRequiredValue(mode)} in {plan.Region}: " +
                    (parse.GetValue(agentsOnly)
                        ? $"the agents' egress to {string.Join(", ", plan.EndpointSubnets)} on 443/tcp"
                        : $"{string.Join(", ", plan.Endpoints.Select(e => PrivateLinkCatalog.GetKey(e.Service!.Value)))}; 443/tcp from {string.Join(", ", plan.AgentNetworks)}"));
            }

            return ExitCode.Success;
        });
        return command;
    }

    private static PrefixSet ParsePrefixes(string[]? texts) =>
        PrefixSet.Parse(string.Join('\n', (texts ?? []).SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))));
}
