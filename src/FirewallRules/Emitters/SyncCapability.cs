namespace FirewallRules.Emitters;

/// <summary>
/// What <c>fwrules sync</c> can do with a format, declared in the format's folder beside its other abilities: load it into
/// this host's firewall (a host backend, whose options it makes from sync's name, table and families) or keep a cloud
/// account's resources in step (a cloud target, which the command line syncs through the cloud's SDK). Sync's
/// <c>--format</c> choices, its <c>--table</c> check and help, and the backend it loads with all come from here.
/// </summary>
/// <param name="Rank">Where sync lists the format among those of its kind (host backends first, then cloud targets; then by name).</param>
/// <param name="Summary">What sync does with the format, one line starting <c>sync:</c>, as <c>fwrules formats</c> shows it under the format.</param>
internal sealed record SyncCapability(int Rank, string Summary)
{
    /// <summary>
    /// A host backend's options from sync's settings: their type says which backend loads them (nftables or
    /// iptables with ipset); null for a cloud target.
    /// </summary>
    /// <remarks>Throws <see cref="ArgumentException"/> for a name or table the format refuses.</remarks>
    public Func<HostSyncArguments, EmitterOptions>? HostOptions { get; init; }

    /// <summary>
    /// The format's table setting (the names it takes) when it loads into an nftables table that sync's <c>--table</c>
    /// chooses; null otherwise.
    /// </summary>
    public FormatSetting? Table { get; init; }

    /// <summary>What sync's <c>--table</c> says, with <see cref="Table"/>; null without one.</summary>
    public string? TableHelp { get; init; }

    /// <summary>
    /// For a file a server on this host reads (a web server's include): where it goes, the server's test and its reload; null for a
    /// firewall or a cloud target.
    /// </summary>
    public ServerFile? ServerFile { get; init; }

    /// <summary>Whether sync keeps something on this host (its firewall, or a file a server reads), not a cloud account.</summary>
    public bool IsHost => HostOptions is not null;

    /// <summary>Whether the format loads into an nftables table, which sync's <c>--table</c> can choose.</summary>
    public bool HasTable => Table is not null;

    /// <summary>A host backend whose options <paramref name="options"/> makes.</summary>
    public static SyncCapability Host(int rank, string summary, Func<HostSyncArguments, EmitterOptions> options) => new(rank, summary) { HostOptions = options };

    /// <summary>A file a server on this host reads, written from the options <paramref name="options"/> makes, tested and reloaded as <paramref name="file"/> says.</summary>
    public static SyncCapability File(int rank, string summary, ServerFile file, Func<HostSyncArguments, EmitterOptions> options) =>
        new(rank, summary) { HostOptions = options, ServerFile = file };

    /// <summary>A cloud target, synced through its cloud's SDK by the command line.</summary>
    public static SyncCapability Cloud(int rank, string summary) => new(rank, summary);
}
