using FirewallRules.Emitters.Iptables;
using FirewallRules.Emitters.Nftables;

namespace FirewallRules.Sync;

/// <summary>The output formats a sync can load into this host's firewall, and the backend that loads each.</summary>
internal static class FirewallBackends
{
    private static readonly NftablesLayout[] Layouts = [NftablesLayout.OwnTable, NftablesLayout.StrictOwnTable, NftablesLayout.ExistingTable];

    /// <summary>The format names, as the emitters name them: <c>nftables</c>, <c>nftables-strict</c>, <c>nftables-chain</c>, <c>iptables-ipset-script</c>.</summary>
    public static IReadOnlyList<string> Formats { get; } =
        [.. Layouts.Select(layout => NftablesTable.For(new() { Layout = layout }).Format), IptablesNames.ScriptFormat(useIpset: true)];

    /// <summary>Whether <paramref name="format"/> loads into an nftables table, which a table name can choose.</summary>
    public static bool HasTable(string format) => Layouts.Any(layout => NftablesTable.For(new() { Layout = layout }).Format == format);

    /// <summary>The backend for <paramref name="settings"/>' format, with its names and families.</summary>
    /// <exception cref="ArgumentException">The format is not one of <see cref="Formats"/>, a table is given for a format without one, or a name is not valid.</exception>
    public static IFirewallBackend Create(SyncSettings settings, FirewallTools tools)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (NftablesLayout layout in Layouts)
        {
            var nft = new NftablesEmitterOptions { Layout = layout, Name = settings.Name, Table = settings.Table, Families = settings.Families };
            if (NftablesTable.For(nft).Format == settings.Format)
            {
                return new NftablesBackend(nft, tools);
            }
        }

        var ipset = new IptablesEmitterOptions { UseIpset = true, Name = settings.Name, Families = settings.Families };
        if (IptablesNames.ScriptFormat(ipset.UseIpset) != settings.Format)
        {
            throw new ArgumentException($"sync cannot load '{settings.Format}': use one of {string.Join(", ", Formats)}", nameof(settings));
        }

        return settings.Table is null
            ? new IpsetBackend(ipset, tools)
            : throw new ArgumentException($"{settings.Format} has no table: the table is for the nftables formats", nameof(settings));
    }
}
