using System.CommandLine;
using System.Text;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.Emitters.Azure;
using FirewallRules.Emitters.Gcp;
using FirewallRules.PrivateLink;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>fwrules privatelink</c>: private connectivity to Datadog instead of its public ranges: AWS PrivateLink endpoints and
/// their security groups, Azure Private Link (US3) and Google Cloud Private Service Connect (US5, EU1).
/// </summary>
internal static class PrivateLinkCommand
{
    public static Command Create(CliConsole console, EmitterRegistry registry)
    {
        var options = new PrivateLinkCommandOptions(registry);
        Command command = CommonOptions.Command("privatelink", """
            Generate private connectivity to Datadog, as the site offers it (see 'fwrules sites').
            AWS PrivateLink (us1, ap1, ap2, uk1): the interface endpoints' security group accepting 443/tcp from the
            agents' networks only, the agents' group allowing 443/tcp to the endpoints' subnets instead of Datadog's
            public ranges, and (CloudFormation, Terraform) the endpoints themselves, with Route 53 private hosted zones
            for a peered VPC.
            Azure Private Link (us3): the private endpoints (Datadog approves them), the private DNS zones and their
            records, and the endpoints' NSG accepting 443/tcp from the agents' networks only (terraform, azure-arm,
            bicep; azure-nsg writes the NSG alone).
            Google Cloud Private Service Connect (us5, eu1): the endpoints' internal addresses and forwarding rules,
            the private Cloud DNS zones and records, and the agents' firewall rule allowing 443/tcp to the endpoints.

            Examples:
              fwrules privatelink --site us1 -n 10.0.0.0/16 -e 10.0.1.0/24 -f aws-cloudformation --prefer endpoint-table
              fwrules privatelink --site ap1 -n 10.0.0.0/16 -e 10.0.1.0/24 -f terraform --mode cross-region --service logs-agent --service metrics
              fwrules privatelink --site uk1 -n 172.16.0.0/12 -e 10.8.0.0/24,10.8.1.0/24 -f terraform --mode peered-vpc
              fwrules privatelink --site uk1 -n 172.16.0.0/12 -e 10.8.0.0/24 -f aws-sg --agents-only
              fwrules privatelink --site us3 -n 10.0.0.0/16 -f terraform --zone-records wildcard-and-apex
              fwrules privatelink --site us3 -n 10.0.0.0/16 -f bicep --zone-records wildcard --service api -o datadog.bicep
              fwrules privatelink --site eu1 -e 10.20.0.0/24 -f gcp-firewall --network prod --target-tag datadog-agent
            """,
            options.All);

        options.AddValidators(command);
        command.SetAction(parse => Run(options.Bind(parse), console, registry));
        return command;
    }

    /// <summary>
    /// The formats of each kind: AWS's are the registry's formats whose options are AWS's; Azure renders terraform and
    /// its NSG formats (azure-nsg the NSG alone); Google Cloud terraform and its firewall formats, all holding the whole plan.
    /// </summary>
    public static IReadOnlyDictionary<PrivateConnectivityKind, string[]> Formats(EmitterRegistry registry) => new Dictionary<PrivateConnectivityKind, string[]>
    {
        [PrivateConnectivityKind.AwsPrivateLink] = TargetOptions.FormatsTaking<AwsSecurityGroupOptions>(registry),
        [PrivateConnectivityKind.AzurePrivateLink] = [FormatNames.Terraform, .. TargetOptions.FormatsTaking<AzureNsgOptions>(registry)],
        [PrivateConnectivityKind.GcpPrivateServiceConnect] = [FormatNames.Terraform, .. TargetOptions.FormatsTaking<GcpFirewallOptions>(registry)],
    };

    /// <summary>
    /// The formats that hold a kind's whole plan (endpoints, DNS and rules), in the order <c>fwrules sites</c> suggests them;
    /// the kind's other formats hold the plan's rules only.
    /// </summary>
    public static string[] WholePlanFormats(PrivateConnectivityKind kind) => kind switch
    {
        PrivateConnectivityKind.AzurePrivateLink => [FormatNames.Terraform, FormatNames.AzureArm, FormatNames.Bicep],
        PrivateConnectivityKind.GcpPrivateServiceConnect => [FormatNames.Terraform, FormatNames.Gcloud],
        _ => [FormatNames.CloudFormation, FormatNames.Terraform],
    };

    /// <summary>The kind of private connectivity <paramref name="site"/> offers; AWS PrivateLink's refusal explains a site that offers none.</summary>
    public static PrivateConnectivityKind KindOf(Site site) => PrivateLinkCatalog.For(site)?.Kind ?? PrivateConnectivityKind.AwsPrivateLink;

    public static int Run(PrivateLinkRequest request, CliConsole console, EmitterRegistry registry)
    {
        // Render completely before writing anything: a refusal must leave no partial output.
        (string text, string summary) = KindOf(request.Site) switch
        {
            PrivateConnectivityKind.AzurePrivateLink => RenderAzure(request, registry),
            PrivateConnectivityKind.GcpPrivateServiceConnect => RenderPrivateServiceConnect(request),
            _ => RenderAws(request, registry),
        };
        OutputTarget.WriteText(console, request.Output, text);
        if (!request.Quiet)
        {
            console.WriteNote($"privatelink: {request.Format} for {request.Site}, {summary}");
            if (registry.Describe(request.Format).Note(Encoding.UTF8.GetByteCount(text)) is string note)
            {
                console.WriteNote($"note: {note}");
            }
        }

        return ExitCode.Success;
    }

    private static (string Text, string Summary) RenderAws(PrivateLinkRequest request, EmitterRegistry registry)
    {
        var plan = PrivateLinkPlan.Create(new PrivateLinkOptions
        {
            Site = request.Site,
            AgentNetworks = PrefixArguments.Parse("--agent-network", request.AgentNetworks),
            EndpointSubnets = PrefixArguments.Parse("--endpoint-subnet", request.EndpointSubnets),
            Services = request.Services,
            Mode = request.Mode,
            PreferredSource = request.PreferredSource,
        });
        var options = new AwsSecurityGroupOptions { Name = request.Name, Comments = request.Comments };
        IRuleEmitter emitter = registry.Create(request.Format, options);
        var wholePlan = new Dictionary<string, Func<AwsSecurityGroupOptions?, string>>(StringComparer.OrdinalIgnoreCase)
        {
            [FormatNames.CloudFormation] = plan.ToCloudFormation,
            [FormatNames.Terraform] = plan.ToTerraform,
        };
        string text = request.AgentsOnly ? plan.AgentRules.Render(emitter)
            : wholePlan.TryGetValue(emitter.Format, out Func<AwsSecurityGroupOptions?, string>? render) ? render(options)
            : plan.EndpointVpcRules.Render(emitter);
        return (text, $"{Choices.Word(request.Mode)} in {plan.Region}: " + (request.AgentsOnly
            ? $"the agents' egress to {string.Join(", ", plan.EndpointSubnets)} on 443/tcp"
            : $"{Services(plan.Endpoints)}; 443/tcp from {string.Join(", ", plan.AgentNetworks)}"));
    }

    private static (string Text, string Summary) RenderAzure(PrivateLinkRequest request, EmitterRegistry registry)
    {
        var plan = AzurePrivateLinkPlan.Create(new AzurePrivateLinkOptions
        {
            Site = request.Site,
            AgentNetworks = PrefixArguments.Parse("--agent-network", request.AgentNetworks),
            Services = request.Services,
            ZoneRecords = request.ZoneRecords,
        });
        var options = new AzureNsgOptions { Name = request.Name, Comments = request.Comments };
        var wholePlan = new Dictionary<string, Func<AzureNsgOptions?, string>>(StringComparer.OrdinalIgnoreCase)
        {
            [FormatNames.Terraform] = plan.ToTerraform,
            [FormatNames.AzureArm] = plan.ToAzureArm,
            [FormatNames.Bicep] = plan.ToBicep,
        };
        string text = wholePlan.TryGetValue(request.Format, out Func<AzureNsgOptions?, string>? render) ? render(options)
            : plan.Rules.Render(registry.Create(request.Format, options));
        return (text, $"Azure Private Link in {plan.Region}: {Services(plan.Endpoints)}; 443/tcp from {string.Join(", ", plan.AgentNetworks)}");
    }

    private static (string Text, string Summary) RenderPrivateServiceConnect(PrivateLinkRequest request)
    {
        var plan = PrivateServiceConnectPlan.Create(new PrivateServiceConnectOptions
        {
            Site = request.Site,
            EndpointSubnets = PrefixArguments.Parse("--endpoint-subnet", request.EndpointSubnets),
            Services = request.Services,
            GlobalAccess = request.Gcp.GlobalAccess,
        });
        var defaults = new GcpFirewallOptions();
        var options = new GcpFirewallOptions
        {
            Name = request.Name,
            Comments = request.Comments,
            Network = request.Gcp.Network ?? defaults.Network,
            TargetTags = request.Gcp.TargetTags,
            TargetServiceAccounts = request.Gcp.TargetServiceAccounts,
        };
        string text = string.Equals(request.Format, FormatNames.Gcloud, StringComparison.OrdinalIgnoreCase) ? plan.ToGcloud(options) : plan.ToTerraform(options);
        return (text, $"Private Service Connect in {plan.Region}{(plan.GlobalAccess ? " with global access" : string.Empty)}: " +
            $"{Services(plan.Endpoints)}; the agents' egress to {string.Join(", ", plan.EndpointSubnets)} on 443/tcp");
    }

    private static string Services(IEnumerable<PrivateEndpoint> endpoints) =>
        string.Join(", ", endpoints.Select(e => e.Service is DatadogService service ? PrivateLinkCatalog.GetKey(service) : e.Label));
}
