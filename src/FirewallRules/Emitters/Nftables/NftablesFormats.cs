using FirewallRules.Advice;
using FirewallRules.Names;

namespace FirewallRules.Emitters.Nftables;

/// <summary>
/// The nftables formats as the registry describes them: the table they take, their incremental update (element
/// changes in one nft transaction), and the warning the strict layout owes.
/// </summary>
internal static class NftablesFormats
{
    private static FormatSetting Table { get; } = FormatSetting.Text(
        SettingNames.Of<NftablesEmitterOptions>(nameof(NftablesEmitterOptions.Table)), "--table", "TABLE",
        name => NameRules.IsPlainName(name, NftablesEmitterOptions.MaxTableLength), NameRules.PlainNameRule(NftablesEmitterOptions.MaxTableLength),
        "nftables: the inet table. Default: the --name, or for nftables-chain your existing table 'filter'.");

    /// <summary>Adds <c>nftables</c>, <c>nftables-strict</c> and <c>nftables-chain</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new NftablesEmitter(NftablesEmitterOptions.From(o, NftablesLayout.OwnTable)), Describe)
        .WithBuiltIn(o => new NftablesEmitter(NftablesEmitterOptions.From(o, NftablesLayout.StrictOwnTable)), format => Describe(format) with { Warning = DropsOtherTraffic })
        .WithBuiltIn(o => new NftablesEmitter(NftablesEmitterOptions.From(o, NftablesLayout.ExistingTable)), Describe);

    // Each format's factory sets its own layout (NftablesEmitterOptions.From), keeping the table.
    private static FormatDescription Describe(FormatDescription format) => format with
    {
        Settings = [Table],
        Configure = arguments => new NftablesEmitterOptions(arguments.Shared) { Table = arguments.Given.Text(Table) },
        Update = arguments => NftablesUpdateWriter.Render(arguments.Previous, arguments.Current, arguments.Options as NftablesEmitterOptions, arguments.Output),
    };

    // The strict table drops every other new connection on the rules' ports: more than Datadog's traffic.
    private static SettingAdvice DropsOtherTraffic(WarningArguments arguments)
    {
        string ports = string.Join(", ", arguments.Rendered.Rules.Select(r => r.Port.ToString()).Distinct());
        return new SettingAdvice(
            $"this output drops every other new connection on ports {ports} (loopback excepted): only Datadog's ranges are reachable on them.");
    }
}
