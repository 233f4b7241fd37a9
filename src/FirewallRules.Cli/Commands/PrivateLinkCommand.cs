using System.CommandLine;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.PrivateLink;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules privatelink</c>: AWS PrivateLink endpoints and their security groups, instead of Datadog's public ranges.</summary>
internal static class PrivateLinkCommand
{
    public static Command Create(CliConsole console, EmitterRegistry registry)
    {
        var options = new PrivateLinkCommandOptions(registry);
        Command command = CommonOptions.Command("privatelink", """
            Generate AWS PrivateLink to Datadog: the interface endpoints' security group accepting 443/tcp from the
            agents' networks only, the agents' group allowing 443/tcp to the endpoints' subnets instead of Datadog's
            public ranges, and (CloudFormation, Terraform) the endpoints themselves, with Route 53 private hosted zones
            for a peered VPC. Sites with AWS PrivateLink: us1, ap1, ap2, uk1 (see 'fwrules sites').

            Examples:
              fwrules privatelink --site us1 -n 10.0.0.0/16 -e 10.0.1.0/24 -f aws-cloudformation --prefer endpoint-table
              fwrules privatelink --site ap1 -n 10.0.0.0/16 -e 10.0.1.0/24 -f terraform --mode cross-region --service logs-agent --service metrics
              fwrules privatelink --site uk1 -n 172.16.0.0/12 -e 10.8.0.0/24,10.8.1.0/24 -f terraform --mode peered-vpc
              fwrules privatelink --site uk1 -n 172.16.0.0/12 -e 10.8.0.0/24 -f aws-sg --agents-only
            """,
            options.All);

        command.SetAction(parse => Run(options.Bind(parse), console, registry));
        return command;
    }

    // The formats whose output also holds the endpoints, as the emitters name them.
    private static readonly string CloudFormation = FormatOf(new CloudFormationEmitter());
    private static readonly string Terraform = FormatOf(new TerraformEmitter());

    /// <summary>The registry's formats that render AWS security groups (their options are AWS's), which PrivateLink needs.</summary>
    public static IEnumerable<string> Formats(EmitterRegistry registry) =>
        registry.Formats.Select(f => f.Format).Where(format => registry.Create(format).Options is AwsSecurityGroupOptions);

    public static int Run(PrivateLinkRequest request, CliConsole console, EmitterRegistry registry)
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

        // Render completely before writing anything: a refusal must leave no partial output.
        string text = request.AgentsOnly ? plan.AgentRules.Render(emitter)
            : IsFormat(emitter, CloudFormation) ? plan.ToCloudFormation(options)
            : IsFormat(emitter, Terraform) ? plan.ToTerraform(options)
            : plan.EndpointVpcRules.Render(emitter);
        OutputTarget.WriteText(console, request.Output, text);
        if (!request.Quiet)
        {
            console.WriteNote(
                $"privatelink: {emitter.Format} for {plan.Site}, {Choices.Word(request.Mode)} in {plan.Region}: " +
                (request.AgentsOnly
                    ? $"the agents' egress to {string.Join(", ", plan.EndpointSubnets)} on 443/tcp"
                    : $"{string.Join(", ", plan.Endpoints.Select(e => PrivateLinkCatalog.GetKey(e.Service!.Value)))}; 443/tcp from {string.Join(", ", plan.AgentNetworks)}"));
        }

        return ExitCode.Success;
    }

    private static string FormatOf(IRuleEmitter emitter) => emitter.Format;

    private static bool IsFormat(IRuleEmitter emitter, string format) => string.Equals(emitter.Format, format, StringComparison.OrdinalIgnoreCase);
}
