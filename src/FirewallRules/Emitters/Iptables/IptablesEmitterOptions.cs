using FirewallRules.Names;

namespace FirewallRules.Emitters.Iptables;

/// <summary>
/// Options of the iptables, ip6tables, ipset and iptables script outputs. The chains the output owns are
/// named <c>{Name}-egress</c> and <c>{Name}-ingress</c> (at most 28 characters, the kernel's limit).
/// </summary>
public sealed class IptablesEmitterOptions : EmitterOptions
{
    /// <summary>The kernel's limit for a chain name.</summary>
    internal const int MaxChainLength = 28;
    private string _egressHook = "OUTPUT";
    private string _ingressHook = "INPUT";

    /// <summary>
    /// Whether rules match an ipset (<c>-m set --match-set</c>: one hash lookup per packet) instead of
    /// listing one rule per prefix. The sets come from the <c>ipset</c> output, which must be loaded first.
    /// </summary>
    /// <value><see langword="false"/>.</value>
    public bool UseIpset { get; init; }

    /// <summary>The chain that jumps to the egress chain, in the instructions and the script.</summary>
    /// <value><c>OUTPUT</c> (the host's own connections); use <c>FORWARD</c> on a gateway.</value>
    /// <exception cref="ArgumentException">Not 1 to 28 characters: a letter, then letters, digits, <c>-</c> or <c>_</c>.</exception>
    public string EgressHook
    {
        get => _egressHook;
        init => _egressHook = ValidChain(value);
    }

    /// <summary>The chain that jumps to the ingress chain, in the instructions and the script.</summary>
    /// <value><c>INPUT</c>; use <c>FORWARD</c> on a gateway.</value>
    /// <exception cref="ArgumentException">Not 1 to 28 characters: a letter, then letters, digits, <c>-</c> or <c>_</c>.</exception>
    public string IngressHook
    {
        get => _ingressHook;
        init => _ingressHook = ValidChain(value);
    }

    /// <summary>Creates options with the defaults.</summary>
    public IptablesEmitterOptions()
    {
    }

    /// <summary>Creates options with this class's defaults and the settings every emitter shares taken from <paramref name="shared"/>.</summary>
    public IptablesEmitterOptions(EmitterOptions shared)
        : base(shared)
    {
    }

    /// <summary>
    /// These options when <paramref name="options"/> already are iptables options with the same
    /// <paramref name="useIpset"/>, else a copy of the shared options (and any hooks) with it.
    /// </summary>
    internal static IptablesEmitterOptions From(EmitterOptions? options, bool useIpset)
    {
        options ??= new EmitterOptions();
        if (options is IptablesEmitterOptions own)
        {
            return own.UseIpset == useIpset ? own : new(own) { UseIpset = useIpset, EgressHook = own.EgressHook, IngressHook = own.IngressHook };
        }

        return new(options) { UseIpset = useIpset };
    }

    private static string ValidChain(string value) => NameRules.RequirePlainName(value, "chain", MaxChainLength, nameof(value));
}
