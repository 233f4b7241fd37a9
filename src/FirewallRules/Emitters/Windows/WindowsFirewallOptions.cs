namespace FirewallRules.Emitters.Windows;

/// <summary>Options for the Windows Firewall emitters, <see cref="WindowsFirewallEmitter"/> and <see cref="NetshEmitter"/>.</summary>
/// <remarks>
/// <see cref="EmitterOptions.Name"/> makes the name of what one output owns, <c>&lt;name&gt; (FirewallRules)</c>:
/// the rule group of the PowerShell script, and the name every rule of the netsh script shares. For PowerShell it
/// also prefixes every rule name.
/// </remarks>
public sealed class WindowsFirewallOptions : EmitterOptions
{
    /// <summary>The most addresses Windows Firewall rules are known to take reliably.</summary>
    public const int AddressesPerRuleLimit = 1000;

    private readonly int _maxAddressesPerRule = AddressesPerRuleLimit;

    /// <summary>
    /// At most this many prefixes in one Windows Firewall rule: longer lists are split across numbered rules,
    /// never truncated.
    /// </summary>
    /// <value>
    /// 1000 (<see cref="AddressesPerRuleLimit"/>), the figure mature bulk tools use: Windows has been reported to
    /// fail beyond it, and Microsoft documents no limit.
    /// </value>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="AddressesPerRuleLimit"/>.</exception>
    public int MaxAddressesPerRule
    {
        get => _maxAddressesPerRule;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, AddressesPerRuleLimit);
            _maxAddressesPerRule = value;
        }
    }

    /// <summary>Creates options with the defaults.</summary>
    public WindowsFirewallOptions()
    {
    }

    /// <summary>Creates options with this class's defaults and the settings every emitter shares taken from <paramref name="shared"/>.</summary>
    public WindowsFirewallOptions(EmitterOptions shared)
        : base(shared)
    {
    }

    /// <summary>
    /// What one output owns, made from the validated <see cref="EmitterOptions.Name"/> only, e.g.
    /// <c>datadog (FirewallRules)</c>: the PowerShell script's rule group, and every netsh rule's name.
    /// </summary>
    internal string OwnedName => Name + " (FirewallRules)";

    /// <summary>These options when <paramref name="options"/> already are, otherwise the defaults with its shared settings.</summary>
    internal static WindowsFirewallOptions From(EmitterOptions options) => options as WindowsFirewallOptions ?? new(options);
}
