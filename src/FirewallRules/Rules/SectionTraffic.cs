using FirewallRules.Intakes;
using FirewallRules.Ranges;

namespace FirewallRules.Rules;

/// <summary>
/// What traffic each section carries, from Datadog's network documentation: the direction (who connects
/// to whom) and the destination ports. Every default can be overridden per call with <see cref="RuleSetOptions"/>.
/// </summary>
public static class SectionTraffic
{
    /// <summary>Logs sent by the Agent over TCP (not HTTPS): 10516/tcp.</summary>
    internal static readonly PortRange LogsTcp = new(TransportProtocol.Tcp, IntakeCatalog.LogsTcp.Port);

    // Each section's ports: 443 and those of the catalogue's hosts the section publishes.
    private static readonly Dictionary<Section, PortRange[]> Ports = Enum.GetValues<Section>().ToDictionary(section => section, section =>
        IntakeCatalog.All.Where(i => i.Section == section).Select(i => i.Port).Prepend(PortRange.Https.First).Distinct()
            .Select(port => new PortRange(TransportProtocol.Tcp, port)).ToArray());

    /// <summary>
    /// Egress for the sections your hosts connect to (agents, api, apm, logs, process, orchestrator,
    /// remote-configuration, global, synthetics-private-locations); ingress for the sources Datadog
    /// connects from (webhooks, synthetics).
    /// </summary>
    public static Direction GetDirection(Section section) =>
        section is Section.Webhooks or Section.Synthetics ? Direction.Ingress : Direction.Egress;

    /// <summary>The default direction of a section by document key, or null for a section this library does not know.</summary>
    public static Direction? GetDirection(string section) =>
        Sections.TryParse(section, out Section known) ? GetDirection(known) : null;

    /// <summary>
    /// 443/tcp for every section; logs also 10516/tcp (logs over TCP; logs over HTTPS use 443), remote-configuration also 8042/tcp
    /// (Agent 7.80 and later). Webhooks and Synthetic tests reach your endpoints on 443/tcp unless they are configured otherwise.
    /// </summary>
    public static IReadOnlyList<PortRange> GetPorts(Section section) => Ports[section];

    /// <summary>The default ports of a section by document key: 443/tcp for sections this library does not know.</summary>
    public static IReadOnlyList<PortRange> GetPorts(string section) =>
        Sections.TryParse(section, out Section known) ? GetPorts(known) : [PortRange.Https];
}
