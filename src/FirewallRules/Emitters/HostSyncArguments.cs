using FirewallRules.Rules;

namespace FirewallRules.Emitters;

/// <summary>What a host backend's options (<see cref="SyncCapability.HostOptions"/>) are made from.</summary>
/// <param name="Name">The prefix of every table, chain and set name.</param>
/// <param name="Table">The nftables table asked for; null for the format's default.</param>
/// <param name="Families">The address families to load.</param>
internal readonly record struct HostSyncArguments(string Name, string? Table, AddressFamilies Families)
{
    /// <summary>The values given for the format's own settings (a web server file's trusted proxies); none for a firewall.</summary>
    public SettingValues Given { get; init; } = SettingValues.None;
}
