using FirewallRules.Advice;
using FirewallRules.Emitters.AllowList;
using FirewallRules.PrivateLink;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// The AWS security group formats as the registry describes them (their settings, the deploy note a large
/// CloudFormation template owes, and the account targets of sync), and AWS PrivateLink: the formats holding its whole plan and how it renders.
/// </summary>
internal static class AwsFormats
{
    private static readonly AwsSecurityGroupOptions Defaults = new();

    private static FormatSetting RulesPerGroup { get; } = FormatSetting.Number(
        SettingNames.Of<AwsSecurityGroupOptions>(nameof(AwsSecurityGroupOptions.RulesPerGroup)), "--rules-per-group", 1, 1000, Defaults.RulesPerGroup,
        "AWS: rules per security group, direction and family, AWS's quota; raise it only after AWS has raised yours.");

    private static FormatSetting PrefixLists { get; } = FormatSetting.Switch(
        SettingNames.Of<AwsSecurityGroupOptions>(nameof(AwsSecurityGroupOptions.UsePrefixLists)), "--prefix-lists",
        "AWS CloudFormation and Terraform: put the prefixes in managed prefix lists that the rules reference.");

    private static FormatSetting KeepDefaultEgress { get; } = FormatSetting.Switch(
        SettingNames.Of<AwsSecurityGroupOptions>(nameof(AwsSecurityGroupOptions.RevokeDefaultEgress), false), "--keep-default-egress",
        "aws-sg: leave the allow-all egress rules AWS gives a new group (then an egress allow-list allows everything).");

    // The writers of the whole plan, in the order 'fwrules sites' suggests them.
    private static readonly Func<AwsSecurityGroupOptions, IPlanWriter<PrivateLinkPlan>>[] PlanWriters =
        [options => new PrivateLinkCloudFormationWriter(options), options => new PrivateLinkTerraformWriter(options)];

    /// <summary>The sync target keeping managed prefix lists in an AWS account: no output format, a target of sync only.</summary>
    public const string PrefixListSyncFormat = "aws-prefix-list";

    /// <summary><c>aws-prefix-list</c>: sync keeps managed prefix lists in an AWS account (through the AWS SDK), as it keeps <c>aws-sg</c>'s groups.</summary>
    public static SyncTarget PrefixListSync { get; } = new(PrefixListSyncFormat, SyncCapability.Cloud(0,
        "sync: keeps customer-managed prefix lists in an AWS account in step through the AWS API (one per family, split over more lists when one is full), "
        + "for your security groups, route tables or firewall policies to reference"));

    /// <summary>What sync does with <c>aws-sg</c>: the account's groups through the SDK, not the script generate writes.</summary>
    private static SyncCapability SecurityGroupSync { get; } = SyncCapability.Cloud(0,
        "sync: keeps the rules of AWS security groups (--group-id, or those already holding them) in step through the AWS API, referencing "
        + "the prefix lists it keeps (or one rule per CIDR); it runs no script");

    /// <summary>AWS PrivateLink: CloudFormation and Terraform hold the whole plan, every AWS format its rules.</summary>
    public static PrivateConnectivityDescription PrivateLink { get; } =
        new(PrivateConnectivityKind.AwsPrivateLink, [.. PlanWriters.Select(writer => writer(Defaults).Format)])
        {
            Requires =
            [
                SettingNames.Of<PrivateLinkOptions>(nameof(PrivateLinkOptions.AgentNetworks)),
                SettingNames.Of<PrivateLinkOptions>(nameof(PrivateLinkOptions.EndpointSubnets))
            ],
            Render = RenderPrivateLink,
        };

    /// <summary>
    /// Adds <c>aws-sg</c>, <c>aws-cloudformation</c> and <c>terraform</c>, the Network Firewall domain list in
    /// CloudFormation (<c>aws-network-firewall</c>) and Terraform (<c>terraform-aws-network-firewall</c>), and the WAF IP sets and
    /// rule group (<c>aws-waf</c>, <c>terraform-aws-waf</c>).
    /// </summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new AwsCliEmitter(AwsSecurityGroupOptions.From(o)), format => Describe(format) with { Sync = SecurityGroupSync })
        .WithBuiltIn(o => new CloudFormationEmitter(AwsSecurityGroupOptions.From(o)), format => Describe(format) with
        {
            MediaType = "application/json",
            Note = CloudFormationJson.DeployNote,
        })
        .WithBuiltIn(o => new TerraformEmitter(AwsSecurityGroupOptions.From(o)), Describe)
        .WithBuiltIn(o => new NetworkFirewallCloudFormationEmitter(o), format => DescribeNetworkFirewall(format) with
        {
            Note = bytes => CloudFormationJson.DeployNote(bytes) is { } large ? $"{large}; {NetworkFirewallNote}" : NetworkFirewallNote,
        })
        .WithBuiltIn(o => new NetworkFirewallTerraformEmitter(o), DescribeNetworkFirewall)
        .WithBuiltIn(o => new WafCloudFormationEmitter(o), format => format with
        {
            DefaultDirection = Direction.Ingress,
            Note = bytes => CloudFormationJson.DeployNote(bytes) is { } large ? $"{large}; {WafNote}" : WafNote,
        })
        .WithBuiltIn(o => new WafTerraformEmitter(o), format => format with { DefaultDirection = Direction.Ingress, Note = _ => WafNote });

    /// <summary>What to know before deploying the WAF outputs: the rule group blocks, from the web ACL that references it.</summary>
    internal const string WafNote =
        "reference the rule group from the web ACL in front of the endpoint (it blocks every client outside the ranges); WAF judges the address that "
        + "connected to that resource and reads no X-Forwarded-For, so put the web ACL on CloudFront when it fronts the balancer";

    /// <summary>What to know before deploying a Network Firewall domain list: it matches names, not ports, and only in a policy.</summary>
    internal const string NetworkFirewallNote =
        "a Network Firewall domain list matches the TLS SNI and HTTP Host on any port, not the ports the rules expected (its description names them): "
        + "keep those in a stateless rule group or security groups; reference the rule group's ARN from a firewall policy, whose HOME_NET (the firewall's VPC by default) "
        + "must hold the agents' networks";

    private static FormatDescription DescribeNetworkFirewall(FormatDescription format) => format with
    {
        Note = _ => NetworkFirewallNote,
        Warning = arguments => AllowListHosts.Warning(arguments.Rendered, AllowListUse.DomainMatch),
    };

    private static FormatDescription Describe(FormatDescription format) => format with
    {
        Settings = [RulesPerGroup, PrefixLists, KeepDefaultEgress],
        PrivateConnectivity = PrivateConnectivityKind.AwsPrivateLink,
        Configure = arguments => new AwsSecurityGroupOptions(arguments.Shared)
        {
            RulesPerGroup = arguments.Given.Number(RulesPerGroup) ?? Defaults.RulesPerGroup,
            UsePrefixLists = arguments.Given.Switch(PrefixLists) || Defaults.UsePrefixLists,
            RevokeDefaultEgress = Defaults.RevokeDefaultEgress && !arguments.Given.Switch(KeepDefaultEgress),
        },
    };

    // The whole plan in a format that holds it, otherwise the endpoints' VPC's rules; only the agents' rules when asked.
    private static (string Text, string Summary) RenderPrivateLink(PrivateConnectivityRequest request, EmitterRegistry registry)
    {
        var plan = PrivateLinkPlan.Create(new PrivateLinkOptions
        {
            Site = request.Site,
            AgentNetworks = request.AgentNetworks,
            EndpointSubnets = request.EndpointSubnets,
            Services = request.Services,
            Mode = request.Mode,
            PreferredSource = request.PreferredSource,
            AgentRulesCommand = request.AgentRulesCommand,
        });
        var options = new AwsSecurityGroupOptions { Name = request.Name, Comments = request.Comments };
        IRuleEmitter emitter = registry.Create(request.Format, options);
        IPlanWriter<PrivateLinkPlan>? whole = PlanWriters.Select(writer => writer(options))
            .FirstOrDefault(writer => string.Equals(writer.Format, emitter.Format, StringComparison.OrdinalIgnoreCase));
        string text = request.AgentsOnly ? plan.AgentRules.Render(emitter)
            : whole is not null ? PrivateLinkRendering.Render(plan, whole)
            : plan.EndpointVpcRules.Render(emitter);
        return (text, $"{PrivateLinkText.ModeName(plan.Mode)} in {plan.Region}: " + (request.AgentsOnly
            ? $"the agents' egress to {string.Join(", ", plan.EndpointSubnets)} on 443/tcp"
            : $"{PrivateConnectivityDescription.Services(plan.Endpoints)}; 443/tcp from {string.Join(", ", plan.AgentNetworks)}"));
    }
}
