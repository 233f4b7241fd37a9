namespace FirewallRules.Emitters;

/// <summary>Options for <see cref="NetshEmitter"/>.</summary>
/// <remarks>
/// netsh has no rule groups and no wildcard delete, so the script deletes the previous rules by name:
/// one name per part, <c>&lt;name&gt;-&lt;rule&gt;-ipv4-01</c> up to <see cref="MaxRulesPerFamily"/>.
/// Keep the same value from run to run, or delete the extra names by hand after lowering it.
/// </remarks>
public sealed class NetshOptions : WindowsFirewallOptions
{
    /// <summary>The most parts a rule name's two-digit counter allows.</summary>
    public const int RulesPerFamilyLimit = 99;

    private readonly int _maxRulesPerFamily = 10;

    /// <summary>
    /// At most this many netsh rules for one rule of the set and one address family. The script deletes all
    /// of these names before adding, so a run that needs fewer parts than the last leaves none behind.
    /// </summary>
    /// <value>
    /// 10: with the line-length limit that is at least 4,000 IPv4 or 1,700 IPv6 prefixes per rule and family, far
    /// more than Datadog publishes. Lists that need more are refused with a <see cref="Rules.RuleGenerationException"/>.
    /// </value>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="RulesPerFamilyLimit"/>.</exception>
    public int MaxRulesPerFamily
    {
        get => _maxRulesPerFamily;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, RulesPerFamilyLimit);
            _maxRulesPerFamily = value;
        }
    }

    /// <summary>Creates options with the defaults.</summary>
    public NetshOptions()
    {
    }

    /// <summary>Creates options with this class's defaults and the settings every emitter shares taken from <paramref name="shared"/>.</summary>
    private NetshOptions(EmitterOptions shared)
        : base(shared)
    {
    }

    /// <summary>These options when <paramref name="options"/> already are, otherwise the defaults with its shared settings.</summary>
    internal static new NetshOptions From(EmitterOptions options) => options as NetshOptions ?? new(options);
}
