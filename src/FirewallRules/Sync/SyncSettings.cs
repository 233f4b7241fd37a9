using FirewallRules.Rules;

namespace FirewallRules.Sync;

/// <summary>What one sync is asked to keep in step: the site, the sections, the target and how long to keep retired prefixes.</summary>
/// <param name="Site">The site or mirror to fetch from.</param>
/// <param name="Format">The output format the firewall is loaded from (a host backend of sync, <see cref="Emitters.SyncCapability"/>).</param>
/// <param name="Sections">Section keys; empty for every egress section of the document.</param>
/// <param name="Name">The prefix of every table, chain and set name.</param>
/// <param name="Table">The nftables table (nftables formats); null for the format's default.</param>
/// <param name="Families">The address families to load.</param>
/// <param name="KeepRemoved">How long a prefix stays allowed after Datadog stops publishing it.</param>
internal sealed record SyncSettings(
    Site Site, string Format, IReadOnlyList<string> Sections, string Name, string? Table, AddressFamilies Families, TimeSpan KeepRemoved)
{
    /// <summary>
    /// The agent's listener protection (<c>fwrules generate --agent</c>) to load beside the ranges, in the same table and
    /// transaction, so that one owner holds both; null for the ranges alone.
    /// </summary>
    public RuleSet? Listeners { get; init; }

    /// <summary>How the listener protection was asked for (agent, features, opened networks), for the fingerprint.</summary>
    public string ListenersKey { get; init; } = string.Empty;

    /// <summary>
    /// The ports each section is allowed on when an agent's configuration says which (<c>sync --agent-config</c>: logs on
    /// 10516/tcp or 443/tcp, not both); null for each section's documented ports.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PortRange>>? SectionPorts { get; init; }

    /// <summary>For a file a server reads (a web server format): the file, the server's commands and the format's settings; null for a firewall.</summary>
    public ServerFileSync? ServerFile { get; init; }

    /// <summary>The direction of the sections a run takes when none is named: a web server's file admits who calls in.</summary>
    public Direction DefaultDirection { get; init; } = Direction.Egress;

    /// <summary>Everything that decides the shape of what is loaded: rules applied under another fingerprint are not compared element by element.</summary>
    public string Fingerprint =>
        $"{Format} name={Name} table={Table} families={Families} sections={string.Join(',', Sections.Order(StringComparer.Ordinal))}"
        + (Listeners is null ? string.Empty : $" listeners={ListenersKey}")
        + (SectionPorts is null ? string.Empty
            : $" ports={string.Join(';', SectionPorts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{string.Join(',', p.Value)}"))}")
        + (ServerFile is null ? string.Empty : $" output={ServerFile.Output} settings={ServerFile.GivenKey}");
}
