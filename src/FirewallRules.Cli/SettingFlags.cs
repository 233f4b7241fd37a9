using FirewallRules.Advice;
using FirewallRules.Cidr;
using FirewallRules.Emitters;
using FirewallRules.Fetching;
using FirewallRules.Ports;
using FirewallRules.PrivateLink;
using FirewallRules.Sync;

namespace FirewallRules.Cli;

/// <summary>
/// The flag that sets each library setting a refusal's advice names (<see cref="SettingAdvice"/>), so that messages
/// tell the user what to type, never a library property: the flags the formats declare with their settings
/// (<see cref="FormatSetting.Flag"/>, from which <c>generate</c>'s platform options are made), and the command line's own.
/// </summary>
internal static class SettingFlags
{
    private static readonly Dictionary<string, string> Flags = new(CommandLineOwned
        .Concat(EmitterRegistry.Default.Descriptions.SelectMany(d => d.Settings)
            .Concat(Enum.GetValues<PrivateConnectivityKind>().SelectMany(kind => EmitterRegistry.DescribePrivateConnectivity(kind).Settings))
            .SelectMany(setting => setting.AdviceFlags()))
        .DistinctBy(pair => pair.Key), StringComparer.Ordinal);

    // The settings of the library's other options that the command line sets.
    private static Dictionary<string, string> CommandLineOwned => new(StringComparer.Ordinal)
    {
        [SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.MaxPrefixesPerRule))] = "--max-rules",
        [SettingNames.Parameter<RuleSet>(nameof(RuleSet.WithPrefixBudget), "maxPrefixesPerFamily")] = "--max-rules",
        [SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.Name))] = "--name",
        [SettingNames.Of<AgentConfig.AgentConfigurationSources>(nameof(AgentConfig.AgentConfigurationSources.SpecialRelays))] = "--allow-special-relay HOST",
        [SettingNames.Of<AgentConfig.AgentConfigurationSources>(nameof(AgentConfig.AgentConfigurationSources.DatadogAgentFile))] = "--datadog-agent FILE",
        [SettingNames.Key<AgentConfig.AgentRenderRequest>(nameof(AgentConfig.AgentRenderRequest.Networks), "proxy")] = "--open proxy=CIDR",
        [SettingNames.Of<AgentConfig.AgentRenderRequest>(nameof(AgentConfig.AgentRenderRequest.Networks))] = "--open FEATURE=NETWORKS",
        [SettingNames.Of<AgentConfig.AgentRenderRequest>(nameof(AgentConfig.AgentRenderRequest.Sections))] = "--section",
        [SettingNames.Of<AgentConfig.AgentRenderRequest>(nameof(AgentConfig.AgentRenderRequest.Listeners))] = "--feature",
        [SettingNames.Parameter<RuleSet>(nameof(RuleSet.For), "sections")] = "--section NAME (see 'fwrules sections')",
        [SettingNames.Of<LocalListenerOptions>(nameof(LocalListenerOptions.Features))] = "--feature",
        [SettingNames.Of<PrivateLinkOptions>(nameof(PrivateLinkOptions.AgentNetworks))] = "--agent-network",
        [SettingNames.Of<PrivateLinkOptions>(nameof(PrivateLinkOptions.EndpointSubnets))] = "--endpoint-subnet",
        [SettingNames.Of<PrivateLinkOptions, DocumentationSource>(nameof(PrivateLinkOptions.PreferredSource), DocumentationSource.EndpointTable)] =
            "--prefer endpoint-table",
        [SettingNames.Of<PrivateLinkOptions, DocumentationSource>(nameof(PrivateLinkOptions.PreferredSource), DocumentationSource.RegionsConfig)] =
            "--prefer regions-config",
        [SettingNames.Of<IpRangesClientOptions>(nameof(IpRangesClientOptions.AllowInsecureHttp))] = "--allow-http",
        [SyncAdvice.Offline] = "--offline",
        [SyncAdvice.MaxStale] = "--max-stale",
        [SyncAdvice.KeepRemoved] = "--keep-removed",
        [SyncAdvice.State] = "--state",
        [SyncAdvice.Name] = "--name",
        [SyncAdvice.Table] = "--table",
        [SyncAdvice.OwnTableFormat] = "--format nftables",
        [SettingNames.Of<PrefixParseOptions>(nameof(PrefixParseOptions.ClearHostBits))] = "--normalize",
        [SettingNames.Of<PrefixParseOptions>(nameof(PrefixParseOptions.AnyIPv6Text))] = "--normalize",
        [SettingNames.Of<LocalListenerOptions>(nameof(LocalListenerOptions.OpenTo))] = "--open FEATURE=PREFIX",
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
    public static string For(string setting) =>
        Flags.TryGetValue(setting, out string? flag) ? flag
        : setting.StartsWith(NetworksOf, StringComparison.Ordinal) && setting.EndsWith(']') ? $"--open {setting[NetworksOf.Length..^1]}"
        : setting;

    // The networks of one feature, AgentRenderRequest.Networks[dogstatsd]: --open dogstatsd.
    private static readonly string NetworksOf = SettingNames.Of<AgentConfig.AgentRenderRequest>(nameof(AgentConfig.AgentRenderRequest.Networks)) + "[";

    /// <summary>The option that sets <paramref name="setting"/>: its flag without the value's form (<c>--pod-selector</c>).</summary>
    public static string OptionFor(string setting) => For(setting).Split(' ', 2)[0];
}
