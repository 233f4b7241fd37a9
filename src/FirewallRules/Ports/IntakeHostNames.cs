using FirewallRules.Intakes;
using FirewallRules.Ranges;
using FirewallRules.Rules;

namespace FirewallRules.Ports;

/// <summary>
/// The host names the Agent sends each section's traffic to, for a site: what the name-aware outputs allow instead of
/// the sections' addresses (Cilium's <c>toFQDNs</c> form, the <c>squid</c> and <c>domains</c> allow-lists), one list for all.
/// </summary>
/// <remarks>
/// The names are the rows of <see cref="IntakeCatalog"/> that carry a section, each followed by the site's domain. Sections without
/// a documented name (<c>global</c>, <c>webhooks</c>, ...) have none.
/// </remarks>
internal static class IntakeHostNames
{
    private static PortRange LogsTcp => SectionTraffic.LogsTcp;

    // The catalogue's hosts an allow-list names per section: not the default dd_url (app.), which the agent sends to as the versioned host.
    private static readonly Intake[] Named = [.. IntakeCatalog.All.Where(i => i.Section is not null && i != IntakeCatalog.App)];

    /// <summary>
    /// Whether the Agent sends <paramref name="section"/>'s traffic on <paramref name="port"/> as a raw TCP connection (logs
    /// over TCP) that no HTTP proxy carries: the agent's proxy settings apply to its HTTP client only.
    /// </summary>
    public static bool IsRawTcp(string section, PortRange port) => section == "logs" && port == LogsTcp;

    /// <summary>
    /// Why <paramref name="section"/> on <paramref name="port"/> names no host at <paramref name="domain"/> although the section
    /// documents the port: logs over TCP on 10516 exist on US1 only (the name-aware outputs say so and leave the name out), EU1's listen on
    /// 443 (<see cref="IntakeCatalog.TcpLogsPort"/>). Null when the names of <see cref="For"/> hold.
    /// </summary>
    public static string? NoTcpLogsIntake(string section, PortRange port, string domain) =>
        !IsRawTcp(section, port) || IntakeCatalog.TcpLogsPort(domain) == port.First ? null
        : IntakeCatalog.TcpLogsPort(domain) is int other
            ? $"section 'logs' on {port}: logs over TCP at {domain} go to {IntakeCatalog.LogsTcp.Host(domain)} on {other}/tcp, not {port} (Datadog's " +
                $"network page and the agent's endpoints): allow that name on {other}/tcp in the host's firewall if the agent sends logs over TCP"
            : $"section 'logs' on {port}: Datadog runs no logs-over-TCP intake at {domain} (its network page: 'Logs (TCP; US1 and EU1 only)'); " +
                "the agent sends logs there over HTTPS, on 443/tcp";

    /// <summary>The names (and <c>*</c> patterns) for <paramref name="section"/> on <paramref name="port"/> at <paramref name="domain"/>, or null when none is
    /// documented.</summary>
    public static IReadOnlyList<string>? For(string section, PortRange port, string domain)
    {
        string[] names = [.. Named
            .Where(i => Sections.GetName(i.Section!.Value) == section && (section != "logs" || (i.Port == LogsTcp.First) == (port == LogsTcp)))
            .Select(i => i.AnyVersion(domain)).Distinct()];
        return names.Length == 0 ? null : names;
    }
}
