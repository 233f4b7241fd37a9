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

    /// <summary>What <c>fwrules sync --table</c> says: the three layouts sync loads, and each one's default table.</summary>
    private const string SyncTableHelp = "The nftables table: its own for nftables and nftables-strict, yours for nftables-chain. Default: the --name for nftables and " +
        "nftables-strict, filter for nftables-chain.";

    /// <summary>Adds <c>nftables</c>, <c>nftables-strict</c> and <c>nftables-chain</c>, each a host backend of sync.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new NftablesEmitter(NftablesEmitterOptions.From(o, NftablesLayout.OwnTable)), Describe(NftablesLayout.OwnTable))
        .WithBuiltIn(o => new NftablesEmitter(NftablesEmitterOptions.From(o, NftablesLayout.StrictOwnTable)),
            format => Describe(NftablesLayout.StrictOwnTable)(format) with { Warning = DropsOtherTraffic })
        .WithBuiltIn(o => new NftablesEmitter(NftablesEmitterOptions.From(o, NftablesLayout.ExistingTable)), Describe(NftablesLayout.ExistingTable));

    // Each format's factory sets its own layout (NftablesEmitterOptions.From), keeping the table; sync loads the layout
    // into a table it can name, listed in the layouts' order.
    private static Func<FormatDescription, FormatDescription> Describe(NftablesLayout layout) => format => format with
    {
        Settings = [Table],
        Configure = arguments => new NftablesEmitterOptions(arguments.Shared) { Table = arguments.Given.Text(Table) },
        Update = arguments => NftablesUpdateWriter.Render(arguments.Previous, arguments.Current, arguments.Options as NftablesEmitterOptions, arguments.Output),
        Sync = SyncCapability.Host((int)layout, SyncSummary(layout), arguments => new NftablesEmitterOptions
        {
            Layout = layout, Name = arguments.Name, Table = arguments.Table, Families = arguments.Families,
        }) with { Table = Table, TableHelp = SyncTableHelp },
    };

    // What sync does with each layout, under the format in 'fwrules formats'.
    private static string SyncSummary(NftablesLayout layout) => layout switch
    {
        NftablesLayout.ExistingTable => "sync: refills its sets and chains in your inet table on this host (filter by default), in one nft transaction, "
            + "only when the kernel would change",
        NftablesLayout.StrictOwnTable => "sync: keeps this host's own inet table in step, replaced in one nft transaction only when "
            + "the kernel would change; it drops other new connections to the same ports",
        _ => "sync: keeps this host's own inet table in step, replaced in one nft transaction only when the kernel would change",
    };

    // The strict table drops every other new connection on the rules' ports: more than Datadog's traffic.
    private static SettingAdvice DropsOtherTraffic(WarningArguments arguments)
    {
        string ports = string.Join(", ", arguments.Rendered.Rules.Select(r => r.Port.ToString()).Distinct());
        return new SettingAdvice(
            $"this output drops every other new connection on ports {ports} (loopback excepted): only Datadog's ranges are reachable on them.");
    }
}
