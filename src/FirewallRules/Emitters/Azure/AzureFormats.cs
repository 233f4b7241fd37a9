using FirewallRules.Advice;
using FirewallRules.PrivateLink;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Azure;

/// <summary>
/// The Azure NSG formats as the registry describes them (their settings, and the warning an NSG's Internet deny owes),
/// and Azure Private Link: the formats holding its whole plan and how it renders.
/// </summary>
internal static class AzureFormats
{
    private static readonly AzureNsgOptions Defaults = new();

    private static FormatSetting FirstPriority { get; } = FormatSetting.Number(
        SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.FirstPriority)), "--first-priority", 100, 4096, Defaults.FirstPriority,
        "Azure: the priority of the first rule in each direction.");

    private static FormatSetting PriorityStep { get; } = FormatSetting.Number(
        SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.PriorityStep)), "--priority-step", 1, 1000, Defaults.PriorityStep,
        "Azure: the gap between rules' priorities, room for your own.");

    private static FormatSetting DenyPriority { get; } = FormatSetting.Number(
        SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.DenyPriority)), "--deny-priority", 100, 4096, Defaults.DenyPriority,
        "Azure (100-4096): the priority of the last deny the output adds in a direction, the others just below.") with
    {
        OutOfRange = new SettingAdvice("{0} must be between 100 and 4096 for Azure.", SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.DenyPriority))),
    };

    private static FormatSetting NoInternetDeny { get; } = FormatSetting.Switch(
        SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.DenyInternetOutbound), false), "--no-internet-deny",
        "Azure: leave out the deny of all other outbound Internet traffic that an egress allow-list gets (then it allows everything).");

    private static FormatSetting MaxAddressesPerRule { get; } = FormatSetting.Number(
        SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.MaxAddressesPerRule)), "--max-addresses-per-rule", 1, 4000, Defaults.MaxAddressesPerRule,
        "Azure: at most N prefixes per rule, longer lists split over numbered rules (4000 is Azure's limit).");

    private static FormatSetting ResourceGroup { get; } = FormatSetting.Text(
        SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.ResourceGroup)), "--resource-group", "GROUP", AzureNames.IsValidResourceGroup, AzureNames.ResourceGroupRule,
        "azure-nsg: the NSG's resource group. Default: read at run time from NAME_RESOURCE_GROUP (e.g. DATADOG_RESOURCE_GROUP).");

    private static FormatSetting NetworkSecurityGroup { get; } = FormatSetting.Text(
        SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.NetworkSecurityGroup)), "--nsg", "NSG", AzureNames.IsValidNetworkSecurityGroup,
        AzureNames.NetworkSecurityGroupRule,
        "Azure: the NSG's name (azure-nsg: the NSG to change, default NAME_NSG at run time; templates: the parameter's default, default --name).");

    // The writers of the whole plan, in the order 'fwrules sites' suggests them.
    private static readonly Func<AzureNsgOptions, IPlanWriter<AzurePrivateLinkPlan>>[] PlanWriters =
    [
        options => new AzurePrivateLinkTerraformWriter(options),
        options => new AzurePrivateLinkTemplateWriter(options, bicep: false),
        options => new AzurePrivateLinkTemplateWriter(options, bicep: true),
    ];

    /// <summary>Azure Private Link: Terraform, ARM and Bicep hold the whole plan, azure-nsg the endpoints' NSG.</summary>
    public static PrivateConnectivityDescription PrivateLink { get; } =
        new(PrivateConnectivityKind.AzurePrivateLink, [.. PlanWriters.Select(writer => writer(Defaults).Format)])
        {
            Requires = [SettingNames.Of<AzurePrivateLinkOptions>(nameof(AzurePrivateLinkOptions.AgentNetworks))],
            Render = RenderPrivateLink,
        };

    /// <summary>Adds <c>azure-nsg</c>, <c>azure-arm</c> and <c>bicep</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new AzureCliEmitter(AzureNsgOptions.From(o)), Describe)
        .WithBuiltIn(o => new AzureArmEmitter(AzureNsgOptions.From(o)), format => Describe(format) with { MediaType = "application/json" })
        .WithBuiltIn(o => new BicepEmitter(AzureNsgOptions.From(o)), Describe);

    private static FormatDescription Describe(FormatDescription format) => format with
    {
        Settings = [FirstPriority, PriorityStep, DenyPriority, NoInternetDeny, MaxAddressesPerRule, ResourceGroup, NetworkSecurityGroup],
        Configure = arguments => new AzureNsgOptions(arguments.Shared)
        {
            FirstPriority = arguments.Given.Number(FirstPriority) ?? Defaults.FirstPriority,
            PriorityStep = arguments.Given.Number(PriorityStep) ?? Defaults.PriorityStep,
            DenyPriority = arguments.Given.Number(DenyPriority) ?? Defaults.DenyPriority,
            DenyInternetOutbound = Defaults.DenyInternetOutbound && !arguments.Given.Switch(NoInternetDeny),
            MaxAddressesPerRule = arguments.Given.Number(MaxAddressesPerRule) ?? Defaults.MaxAddressesPerRule,
            ResourceGroup = arguments.Given.Text(ResourceGroup) ?? Defaults.ResourceGroup,
            NetworkSecurityGroup = arguments.Given.Text(NetworkSecurityGroup) ?? Defaults.NetworkSecurityGroup,
        },
        Warning = InternetDeny,
        PrivateConnectivity = PrivateConnectivityKind.AzurePrivateLink,
    };

    // An egress allow-list's NSG denies every other destination on the Internet: more than Datadog's traffic.
    private static SettingAdvice? InternetDeny(WarningArguments arguments) =>
        arguments.Options is AzureNsgOptions { DenyInternetOutbound: true } && arguments.Rendered.Rules.Any(r => r.Direction == Direction.Egress && r.Action == RuleAction.Allow)
            ? new SettingAdvice(
                "this output denies all other outbound Internet traffic from the NSG (virtual network traffic is unaffected); {0} leaves it out.", NoInternetDeny.Name)
            : null;

    // The whole plan in a format that holds it, otherwise the endpoints' NSG.
    private static (string Text, string Summary) RenderPrivateLink(PrivateConnectivityRequest request, EmitterRegistry registry)
    {
        var plan = AzurePrivateLinkPlan.Create(new AzurePrivateLinkOptions
        {
            Site = request.Site,
            AgentNetworks = request.AgentNetworks,
            Services = request.Services,
            ZoneRecords = request.ZoneRecords,
        });
        var options = new AzureNsgOptions { Name = request.Name, Comments = request.Comments };
        string text = PlanWriters.Select(writer => writer(options)).FirstOrDefault(writer => string.Equals(writer.Format, request.Format, StringComparison.OrdinalIgnoreCase))
            is { } whole ? PrivateLinkRendering.Render(plan, whole) : plan.Rules.Render(registry.Create(request.Format, options));
        return (text, $"Azure Private Link in {plan.Region}: {PrivateConnectivityDescription.Services(plan.Endpoints)}; 443/tcp from {string.Join(", ", plan.AgentNetworks)}");
    }
}
