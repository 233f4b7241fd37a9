using FirewallRules.Advice;

namespace FirewallRules.Emitters.Windows;

/// <summary>The Windows Firewall formats as the registry describes them: the rule size they take.</summary>
internal static class WindowsFormats
{
    private static readonly WindowsFirewallOptions Defaults = new();

    private static FormatSetting MaxAddressesPerRule { get; } = FormatSetting.Number(
        SettingNames.Of<WindowsFirewallOptions>(nameof(WindowsFirewallOptions.MaxAddressesPerRule)), "--max-addresses-per-rule", 1, WindowsFirewallOptions.AddressesPerRuleLimit,
        Defaults.MaxAddressesPerRule, "Windows: at most N prefixes per rule, longer lists split over numbered rules (1000 is its limit).") with
    {
        OutOfRange = new SettingAdvice(
            $"{{0}}: Windows Firewall rules take at most {WindowsFirewallOptions.AddressesPerRuleLimit} addresses.",
            SettingNames.Of<WindowsFirewallOptions>(nameof(WindowsFirewallOptions.MaxAddressesPerRule))),
    };

    /// <summary>Adds <c>windows</c> and <c>windows-netsh</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new WindowsFirewallEmitter(WindowsFirewallOptions.From(o)), Describe)
        .WithBuiltIn(o => new NetshEmitter(WindowsFirewallOptions.From(o)), Describe);

    private static FormatDescription Describe(FormatDescription format) => format with
    {
        Settings = [MaxAddressesPerRule],
        Configure = arguments => new WindowsFirewallOptions(arguments.Shared) { MaxAddressesPerRule = arguments.Given.Number(MaxAddressesPerRule) ?? Defaults.MaxAddressesPerRule },
    };
}
