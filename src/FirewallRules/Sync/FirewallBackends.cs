using FirewallRules.Emitters;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Emitters.Nftables;

namespace FirewallRules.Sync;

/// <summary>
/// The backend that loads a format into this host's firewall: the formats are those whose folder declares them a host
/// backend of sync (<see cref="SyncCapability"/>), and the options they make say which backend loads them.
/// </summary>
internal static class FirewallBackends
{
    /// <summary>
    /// The backend for <paramref name="settings"/>' format, with its names and families (a server's file keeps its last good copy in
    /// <paramref name="stateDirectory"/>).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The format is no host backend of sync, a table is given for a format without one, a server's file without its path, or a name or
    /// setting is not valid.
    /// </exception>
    /// <exception cref="System.Security.SecurityException">
    /// A server's file is a link or a special file, or it or its directory may be written by someone other than root or this user
    /// (<see cref="IO.TrustedDirectory.CheckOutput"/>): refused before anything is fetched or written.
    /// </exception>
    /// <exception cref="FirewallSyncException">A server's file cannot be examined.</exception>
    public static IFirewallBackend Create(SyncSettings settings, FirewallTools tools, string stateDirectory = ".")
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (EmitterRegistry.Default.DescribeSync(settings.Format) is not { HostOptions: { } hostOptions } capability)
        {
            string formats = string.Join(", ", EmitterRegistry.Default.SyncTargets.Where(t => t.Capability.IsHost).Select(t => t.Format));
            throw new ArgumentException($"sync cannot load '{settings.Format}': use one of {formats}", nameof(settings));
        }

        if (settings.Table is not null && !capability.HasTable)
        {
            throw new ArgumentException($"{settings.Format} has no table: the table is for the nftables formats", nameof(settings));
        }

        if (capability.ServerFile is { } server)
        {
            ServerFileSync file = settings.ServerFile ?? throw new ArgumentException($"{settings.Format} keeps a file a server reads: name it", nameof(settings));
            EmitterOptions options = hostOptions(new HostSyncArguments(settings.Name, null, settings.Families) { Given = file.Given });
            ServerFileBackend.Vet(file.Output);
            return new ServerFileBackend(settings.Format, options, file.Output, file.Check ?? server.Check, file.Reload ?? server.Reload, tools, stateDirectory);
        }

        return hostOptions(new HostSyncArguments(settings.Name, settings.Table, settings.Families)) switch
        {
            NftablesEmitterOptions nft => new NftablesBackend(nft, tools),
            IptablesEmitterOptions ipset => new IpsetBackend(ipset, tools),
            var other => throw new ArgumentException($"sync has no backend for {settings.Format}'s {other.GetType().Name}", nameof(settings)),
        };
    }
}
