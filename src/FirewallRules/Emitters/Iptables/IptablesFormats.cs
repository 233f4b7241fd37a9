using FirewallRules.Advice;
using FirewallRules.Names;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Iptables;

/// <summary>
/// The iptables and ipset formats as the registry describes them: the hooks they take, and <c>ipset</c>'s incremental
/// update (checks that change nothing, the version check, then each changed set filled whole and swapped in).
/// </summary>
internal static class IptablesFormats
{
    private static readonly IptablesEmitterOptions Defaults = new();

    private static FormatSetting EgressHook { get; } = Hook(nameof(IptablesEmitterOptions.EgressHook), "--egress-hook",
        "iptables: the chain that jumps to the egress chain (FORWARD on a gateway).") with { Default = Defaults.EgressHook };

    private static FormatSetting IngressHook { get; } = Hook(nameof(IptablesEmitterOptions.IngressHook), "--ingress-hook",
        "iptables: the chain that jumps to the ingress chain (FORWARD on a gateway).") with { Default = Defaults.IngressHook };

    // Listed by sync after the nftables layouts (ranked by their NftablesLayout).
    private const int SyncRank = 10;

    /// <summary>Adds <c>iptables</c>, <c>ip6tables</c>, their <c>-ipset</c> forms, <c>ipset</c> and the two scripts (the ipset one a host backend of sync).</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new IptablesEmitter(AddressFamilies.IPv4, IptablesEmitterOptions.From(o, useIpset: false)), Describe)
        .WithBuiltIn(o => new IptablesEmitter(AddressFamilies.IPv6, IptablesEmitterOptions.From(o, useIpset: false)), Describe)
        .WithBuiltIn(o => new IptablesEmitter(AddressFamilies.IPv4, IptablesEmitterOptions.From(o, useIpset: true)), Describe)
        .WithBuiltIn(o => new IptablesEmitter(AddressFamilies.IPv6, IptablesEmitterOptions.From(o, useIpset: true)), Describe)
        .WithBuiltIn(o => new IpsetEmitter(IptablesEmitterOptions.From(o, useIpset: true)), format => Describe(format) with
        {
            Update = arguments => IpsetUpdateWriter.Render(arguments.Previous, arguments.Current, IptablesEmitterOptions.From(arguments.Options, useIpset: true), arguments.Output),
        })
        .WithBuiltIn(o => new IptablesScriptEmitter(IptablesEmitterOptions.From(o, useIpset: false)), Describe)
        .WithBuiltIn(o => new IptablesScriptEmitter(IptablesEmitterOptions.From(o, useIpset: true)), format => Describe(format) with
        {
            // Sync loads it with ipset (the sets swapped whole), after the nftables layouts.
            Sync = SyncCapability.Host(
                SyncRank,
                "sync: loads its ipsets (each swapped in whole) and the iptables and ip6tables chains matching them into this host's firewall, without "
                    + "running the script, only when the kernel would change",
                arguments => new IptablesEmitterOptions { UseIpset = true, Name = arguments.Name, Families = arguments.Families }),
        });

    // Each format's factory sets its own UseIpset (IptablesEmitterOptions.From), keeping the hooks.
    private static FormatDescription Describe(FormatDescription format) => format with
    {
        Settings = [EgressHook, IngressHook],
        Configure = arguments => new IptablesEmitterOptions(arguments.Shared)
        {
            EgressHook = arguments.Given.Text(EgressHook) ?? Defaults.EgressHook,
            IngressHook = arguments.Given.Text(IngressHook) ?? Defaults.IngressHook,
        },
    };

    private static FormatSetting Hook(string property, string flag, string help) => FormatSetting.Text(
        SettingNames.Of<IptablesEmitterOptions>(property), flag, "CHAIN", name => NameRules.IsPlainName(name, IptablesEmitterOptions.MaxChainLength),
        NameRules.PlainNameRule(IptablesEmitterOptions.MaxChainLength), help);
}
