using FirewallRules.Rules;

namespace FirewallRules.Ports;

/// <summary>
/// The host names the Agent sends each section's traffic to, for a site: what the name-aware outputs allow instead of
/// the sections' addresses (Cilium's <c>toFQDNs</c> form, the <c>squid</c> and <c>domains</c> allow-lists), one list for all.
/// </summary>
/// <remarks>
/// From Datadog's documentation: the intake names of <c>data/privatelink.json</c> (<c>sites[].endpoints</c>, from
/// regions.config.js: <c>api.</c>, <c>metrics.agent.</c>, <c>trace.agent.</c>, <c>intake.profile.</c>,
/// <c>process.</c>, <c>orchestrator.</c>, <c>config.</c>, <c>agent-http-intake.logs.</c>, <c>http-intake.logs.</c>,
/// each followed by the site's domain), and from the Agent's network traffic page the versioned metrics names
/// (<c>&lt;version&gt;-app.agent.</c>), logs over TCP (<c>agent-intake.logs.</c>, 10516/tcp) and Synthetics private
/// locations (<c>intake.synthetics.</c>). Sections without a documented name (<c>global</c>, <c>webhooks</c>, ...) have none.
/// </remarks>
internal static class IntakeHostNames
{
    private static readonly PortRange LogsTcp = new(TransportProtocol.Tcp, 10516);

    /// <summary>
    /// Whether the Agent sends <paramref name="section"/>'s traffic on <paramref name="port"/> as a raw TCP connection (logs
    /// over TCP) that no HTTP proxy carries: the agent's proxy settings apply to its HTTP client only.
    /// </summary>
    public static bool IsRawTcp(string section, PortRange port) => section == "logs" && port == LogsTcp;

    /// <summary>
    /// Why <paramref name="section"/> on <paramref name="port"/> names no host at <paramref name="domain"/> although the section
    /// documents the port: logs over TCP on 10516 exist on US1 only (the allow-lists say so and leave the name out; Cilium's policies
    /// still write the name on 10516). Datadog's network page lists "Logs (TCP; US1 and EU1 only)"
    /// (data/agent/network-page.tsv), and EU1's TCP intake listens on 443 (the agent's logsEndpoints, comp/logs/agent/config:
    /// agent-intake.logs.datadoghq.com 10516, agent-intake.logs.datadoghq.eu 443). Null when the names of <see cref="For"/> hold.
    /// </summary>
    public static string? NoTcpLogsIntake(string section, PortRange port, string domain) =>
        section != "logs" || port != LogsTcp || domain == "datadoghq.com" ? null
        : domain == "datadoghq.eu"
            ? $"section 'logs' on {port}: EU1's logs over TCP go to agent-intake.logs.datadoghq.eu on 443/tcp, not {port} (Datadog's network page " +
                "and the agent's endpoints): allow that name on 443/tcp in the host's firewall if the agent sends logs over TCP"
            : $"section 'logs' on {port}: Datadog runs no logs-over-TCP intake at {domain} (its network page: 'Logs (TCP; US1 and EU1 only)'); " +
                "the agent sends logs there over HTTPS, on 443/tcp";

    /// <summary>The names (and <c>*</c> patterns) for <paramref name="section"/> on <paramref name="port"/> at <paramref name="domain"/>, or null when none is
    /// documented.</summary>
    public static IReadOnlyList<string>? For(string section, PortRange port, string domain)
    {

        string[]? prefixes = section switch
        {
            "agents" => ["*-app.agent.", "metrics.agent."],
            "api" => ["api."],
            "apm" => ["trace.agent.", "intake.profile."],
            "logs" => port == LogsTcp ? ["agent-intake.logs."] : ["agent-http-intake.logs.", "http-intake.logs."],
            "process" => ["process."],
            "orchestrator" => ["orchestrator."],
            "remote-configuration" => ["config."],
            "synthetics-private-locations" => ["intake.synthetics."],
            _ => null,
        };
        return prefixes?.Select(prefix => prefix + domain).ToArray();
    }
}
