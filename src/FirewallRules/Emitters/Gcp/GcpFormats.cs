using FirewallRules.Advice;
using FirewallRules.PrivateLink;

namespace FirewallRules.Emitters.Gcp;

/// <summary>
/// The Google Cloud firewall formats as the registry describes them (the network, targets, priorities and sizes they
/// take), and Private Service Connect: the formats holding its whole plan, the settings its firewall rule takes, and
/// how it renders.
/// </summary>
internal static class GcpFormats
{
    private static readonly GcpFirewallOptions Defaults = new();

    /// <summary>The VPC network; Private Service Connect's firewall rule takes it too.</summary>
    public static FormatSetting Network { get; } = FormatSetting.Text(
        SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.Network)), "--network", "NETWORK", value => _ = new GcpFirewallOptions { Network = value },
        "gcp-firewall, terraform-gcp: the VPC network.") with { Default = Defaults.Network };

    /// <summary>The instances' network tags; Private Service Connect's firewall rule takes them too.</summary>
    public static FormatSetting TargetTags { get; } = FormatSetting.Names(
        SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.TargetTags)), "--target-tag", "TAG", value => _ = new GcpFirewallOptions { TargetTags = value },
        "gcp-firewall, terraform-gcp: apply to instances with this network tag (repeatable).");

    /// <summary>The instances' service accounts; Private Service Connect's firewall rule takes them too.</summary>
    public static FormatSetting TargetServiceAccounts { get; } = FormatSetting.Names(
        SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.TargetServiceAccounts)), "--target-service-account", "EMAIL",
        value => _ = new GcpFirewallOptions { TargetServiceAccounts = value },
        "gcp-firewall, terraform-gcp: apply to instances running as this service account (repeatable).");

    private static FormatSetting FirstPriority { get; } = FormatSetting.Number(
        SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.FirstPriority)), "--priority", 0, 65535, Defaults.FirstPriority,
        "gcp-firewall, terraform-gcp: the first rule's priority.");

    private static FormatSetting DenyPriority { get; } = FormatSetting.Number(
        SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.DenyPriority)), "--deny-priority", 0, 65535, Defaults.DenyPriority,
        "gcp-firewall and terraform-gcp (0-65535): the same.");

    private static FormatSetting MaxRangesPerRule { get; } = FormatSetting.Number(
        SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.MaxRangesPerRule)), "--max-ranges-per-rule", 1, 5000, Defaults.MaxRangesPerRule,
        "gcp-firewall, terraform-gcp: split rules with more ranges.");

    private static FormatSetting AllowOtherEgress { get; } = FormatSetting.Switch(
        SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.DenyOtherEgress), false), "--allow-other-egress",
        "gcp-firewall, terraform-gcp: leave out the rules denying all other egress (the allow-list then restricts nothing).");

    // The writers of the whole plan, in the order 'fwrules sites' suggests them; the first writes any other format's request.
    private static readonly Func<GcpFirewallOptions, IPlanWriter<PrivateServiceConnectPlan>>[] PlanWriters =
        [options => new PrivateServiceConnectTerraformWriter(options), options => new PrivateServiceConnectGcloudWriter(options)];

    /// <summary>Private Service Connect: Terraform and the gcloud script hold the whole plan; the firewall formats write it as Terraform.</summary>
    public static PrivateConnectivityDescription PrivateServiceConnect { get; } =
        new(PrivateConnectivityKind.GcpPrivateServiceConnect, [.. PlanWriters.Select(writer => writer(Defaults).Format)])
        {
            Requires = [SettingNames.Of<PrivateServiceConnectOptions>(nameof(PrivateServiceConnectOptions.EndpointSubnets))],
            Settings =
            [
                Network with { Help = "Google Cloud: the VPC network." },
                TargetTags with { Help = "Google Cloud: the agents' firewall rule: apply to instances with this network tag (repeatable)." },
                TargetServiceAccounts with { Help = "Google Cloud: the agents' firewall rule: apply to instances running as this service account (repeatable)." },
            ],
            Render = (request, _) => RenderPrivateServiceConnect(request),
        };

    /// <summary>Adds <c>gcp-firewall</c> and <c>terraform-gcp</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new GcloudFirewallEmitter(GcpFirewallOptions.From(o)), Describe)
        .WithBuiltIn(o => new TerraformGcpEmitter(GcpFirewallOptions.From(o)), Describe);

    private static FormatDescription Describe(FormatDescription format) => format with
    {
        Settings = [DenyPriority, Network, TargetTags, TargetServiceAccounts, FirstPriority, MaxRangesPerRule, AllowOtherEgress],
        Configure = arguments => new GcpFirewallOptions(arguments.Shared)
        {
            Network = arguments.Given.Text(Network) ?? Defaults.Network,
            TargetTags = arguments.Given.Names(TargetTags) ?? [],
            TargetServiceAccounts = arguments.Given.Names(TargetServiceAccounts) ?? [],
            FirstPriority = arguments.Given.Number(FirstPriority) ?? Defaults.FirstPriority,
            DenyPriority = arguments.Given.Number(DenyPriority) ?? Defaults.DenyPriority,
            MaxRangesPerRule = arguments.Given.Number(MaxRangesPerRule) ?? Defaults.MaxRangesPerRule,
            DenyOtherEgress = Defaults.DenyOtherEgress && !arguments.Given.Switch(AllowOtherEgress),
        },
        PrivateConnectivity = PrivateConnectivityKind.GcpPrivateServiceConnect,
    };

    private static (string Text, string Summary) RenderPrivateServiceConnect(PrivateConnectivityRequest request)
    {
        var plan = PrivateServiceConnectPlan.Create(new PrivateServiceConnectOptions
        {
            Site = request.Site,
            EndpointSubnets = request.EndpointSubnets,
            Services = request.Services,
            GlobalAccess = request.GlobalAccess,
        });
        var options = new GcpFirewallOptions
        {
            Name = request.Name,
            Comments = request.Comments,
            Network = request.Settings.Text(Network) ?? Defaults.Network,
            TargetTags = request.Settings.Names(TargetTags) ?? [],
            TargetServiceAccounts = request.Settings.Names(TargetServiceAccounts) ?? [],
        };
        IPlanWriter<PrivateServiceConnectPlan>[] writers = [.. PlanWriters.Select(writer => writer(options))];
        string text = PrivateLinkRendering.Render(plan, writers.FirstOrDefault(w => string.Equals(w.Format, request.Format, StringComparison.OrdinalIgnoreCase)) ?? writers[0]);
        return (text, $"Private Service Connect in {plan.Region}{(plan.GlobalAccess ? " with global access" : string.Empty)}: " +
            $"{PrivateConnectivityDescription.Services(plan.Endpoints)}; the agents' egress to {string.Join(", ", plan.EndpointSubnets)} on 443/tcp");
    }
}
