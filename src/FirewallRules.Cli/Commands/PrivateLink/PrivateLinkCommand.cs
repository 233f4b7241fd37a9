using System.CommandLine;
using System.Text;
using FirewallRules.Emitters;
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
        command.SetAction(parse => Run(options.Bind(parse), console));
        return command;
    }

    /// <summary>How the command renders the agents' rules alone, which a peered VPC's guidance names.</summary>
    public static string AgentRulesCommand => "'fwrules privatelink --agents-only'";

    /// <summary>What the kind of private connectivity <paramref name="site"/> offers renders as; AWS PrivateLink's refusal explains a site that offers none.</summary>
    public static PrivateConnectivityDescription KindOf(Site site) =>
        EmitterRegistry.DescribePrivateConnectivity(PrivateLinkCatalog.For(site)?.Kind ?? PrivateConnectivityKind.AwsPrivateLink);

    private static int Run(PrivateLinkRequest request, CliConsole console)
    {
        EmitterRegistry registry = request.Registry;
        // Render completely before writing anything: a refusal must leave no partial output.
        (string text, string summary) = KindOf(request.Rendering.Site).Render(request.Rendering, registry);
        OutputTarget.WriteText(console, request.Output, text);
        if (!request.Quiet)
        {
            console.WriteNote($"privatelink: {request.Rendering.Format} for {request.Rendering.Site}, {summary}");
            if (registry.Describe(request.Rendering.Format).Note(Encoding.UTF8.GetByteCount(text)) is string note)
            {
                console.WriteNote($"note: {note}");
            }
        }

        return ExitCode.Success;
    }
}
