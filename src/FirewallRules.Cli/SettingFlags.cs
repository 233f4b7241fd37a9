using FirewallRules.Advice;
using FirewallRules.Cidr;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.Emitters.Azure;
using FirewallRules.Emitters.Gcp;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Emitters.Nftables;
using FirewallRules.Emitters.Windows;
using FirewallRules.Fetching;
using FirewallRules.Ports;
using FirewallRules.PrivateLink;

namespace FirewallRules.Cli;

/// <summary>
/// The flag that sets each library setting a refusal's advice names (<see cref="SettingAdvice"/>), so that messages
/// tell the user what to type, never a library property; <c>generate</c>'s platform options are made from the settings
/// the formats declare (<see cref="FormatSetting"/>) under these flags.
/// </summary>
internal static class SettingFlags
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        [SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.MaxPrefixesPerRule))] = "--max-rules",
        [SettingNames.Parameter<RuleSet>(nameof(RuleSet.WithPrefixBudget), "maxPrefixesPerFamily")] = "--max-rules",
        [SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.Name))] = "--name",
        [SettingNames.Parameter<RuleSet>(nameof(RuleSet.For), "sections")] = "--section NAME (see 'fwrules sections')",
        [SettingNames.Of<AwsSecurityGroupOptions>(nameof(AwsSecurityGroupOptions.RulesPerGroup))] = "--rules-per-group",
        [SettingNames.Of<AwsSecurityGroupOptions>(nameof(AwsSecurityGroupOptions.UsePrefixLists))] = "--prefix-lists",
        [SettingNames.Of<AwsSecurityGroupOptions>(nameof(AwsSecurityGroupOptions.RevokeDefaultEgress), false)] = "--keep-default-egress",
        [SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.FirstPriority))] = "--first-priority",
        [SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.PriorityStep))] = "--priority-step",
        [SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.DenyPriority))] = "--deny-priority",
        [SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.MaxAddressesPerRule))] = "--max-addresses-per-rule",
        [SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.DenyInternetOutbound), false)] = "--no-internet-deny",
        [SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.ResourceGroup))] = "--resource-group",
        [SettingNames.Of<AzureNsgOptions>(nameof(AzureNsgOptions.NetworkSecurityGroup))] = "--nsg",
        [SettingNames.Of<WindowsFirewallOptions>(nameof(WindowsFirewallOptions.MaxAddressesPerRule))] = "--max-addresses-per-rule",
        [SettingNames.Of<NftablesEmitterOptions>(nameof(NftablesEmitterOptions.Table))] = "--table",
        [SettingNames.Of<IptablesEmitterOptions>(nameof(IptablesEmitterOptions.EgressHook))] = "--egress-hook",
        [SettingNames.Of<IptablesEmitterOptions>(nameof(IptablesEmitterOptions.IngressHook))] = "--ingress-hook",
        [SettingNames.Of<LocalListenerOptions>(nameof(LocalListenerOptions.Features))] = "--feature",
        [SettingNames.Of<PrivateLinkOptions>(nameof(PrivateLinkOptions.AgentNetworks))] = "--agent-network",
        [SettingNames.Of<PrivateLinkOptions>(nameof(PrivateLinkOptions.EndpointSubnets))] = "--endpoint-subnet",
        [SettingNames.Of<PrivateLinkOptions, DocumentationSource>(nameof(PrivateLinkOptions.PreferredSource), DocumentationSource.EndpointTable)] =
            "--prefer endpoint-table",
        [SettingNames.Of<PrivateLinkOptions, DocumentationSource>(nameof(PrivateLinkOptions.PreferredSource), DocumentationSource.RegionsConfig)] =
            "--prefer regions-config",
        [SettingNames.Of<IpRangesClientOptions>(nameof(IpRangesClientOptions.AllowInsecureHttp))] = "--allow-http",
        [SettingNames.Of<PrefixParseOptions>(nameof(PrefixParseOptions.ClearHostBits))] = "--normalize",
        [SettingNames.Of<PrefixParseOptions>(nameof(PrefixParseOptions.AnyIPv6Text))] = "--normalize",
        [SettingNames.Of<LocalListenerOptions>(nameof(LocalListenerOptions.OpenTo))] = "--open FEATURE=PREFIX",
        [SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.Namespace))] = "--namespace",
        [SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.PodSelector))] = "--pod-selector KEY=VALUE",
        [SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.ClusterWide))] = "--cluster-wide",
        [SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.ByName))] = "--by-name",
        [SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.AllowDns), false)] = "--no-dns",
        [SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.AllowDns), true)] = "without --no-dns",
        [SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.ByName), false)] = "without --by-name",
        [SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.ClusterDestinations))] = "--in-cluster",
        [SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.MaxObjectBytes))] = "--max-object-bytes",
        [SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.MaxPolicyMapEntries))] = "--max-policy-map-entries",
        [SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.Network))] = "--network",
        [SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.TargetTags))] = "--target-tag",
        [SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.TargetServiceAccounts))] = "--target-service-account",
        [SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.FirstPriority))] = "--priority",
        [SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.MaxRangesPerRule))] = "--max-ranges-per-rule",
        [SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.DenyPriority))] = "--deny-priority",
        [SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.DenyOtherEgress), false)] = "--allow-other-egress",
        [SettingNames.Of<AzurePrivateLinkOptions>(nameof(AzurePrivateLinkOptions.AgentNetworks))] = "--agent-network",
        [SettingNames.Of<PrivateServiceConnectOptions>(nameof(PrivateServiceConnectOptions.EndpointSubnets))] = "--endpoint-subnet",
        [SettingNames.Of<AzurePrivateLinkOptions, AzureZoneRecords>(nameof(AzurePrivateLinkOptions.ZoneRecords), AzureZoneRecords.Wildcard)] = "--zone-records wildcard",
        [SettingNames.Of<AzurePrivateLinkOptions, AzureZoneRecords>(nameof(AzurePrivateLinkOptions.ZoneRecords), AzureZoneRecords.WildcardAndApex)] =
            "--zone-records wildcard-and-apex",
    };

    /// <summary>The settings that have a flag.</summary>
    public static IEnumerable<string> Settings => Flags.Keys;

    /// <summary>
    /// The flag for <paramref name="setting"/>, as advice writes it (with its value's form when it has one); the setting's own name
    /// when the tool has no flag for it.
    /// </summary>
    public static string For(string setting) => Flags.GetValueOrDefault(setting, setting);

    /// <summary>The option that sets <paramref name="setting"/>: its flag without the value's form (<c>--pod-selector</c>).</summary>
    public static string OptionFor(string setting) => For(setting).Split(' ', 2)[0];
}
