using System.Globalization;
using System.Text;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// An agent's plan as allow-lists by host name, for proxies and name-aware appliances: every Datadog host the plan names
/// (published in a section or by name only) with its port, from the same destinations the plan prints, so a host added to
/// the feature map reaches both at once. Hosts are user text (a <c>dd_url</c>): each is checked to be a DNS name before a
/// line is written, and the whole list is refused otherwise.
/// </summary>
internal static class AllowListText
{
    /// <summary>The allow-list formats, by name.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["domains", "squid"];

    /// <summary>The destinations a name-aware allow-list holds: Datadog's hosts and the other hosts reached by name, not the proxy, the cluster or NTP.</summary>
    public static IReadOnlyList<AgentDestination> Hosts(AgentPlan plan) =>
        [.. plan.Destinations.Where(d => d.Coverage is DestinationCoverage.PublishedRanges or DestinationCoverage.NotPublished or DestinationCoverage.ThroughProxy)];

    /// <summary>Writes <paramref name="format"/>.</summary>
    /// <exception cref="RuleGenerationException">A host is not a DNS name, or the plan holds none.</exception>
    public static string Write(string format, AgentPlan plan) => format switch
    {
        "domains" => Domains(plan),
        "squid" => Squid(plan),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown allow-list format"),
    };

    /// <summary>One host a line, with its port and protocol and the feature that needs it: <c>contimage-intake.datadoghq.com 443/tcp container-image</c>.</summary>
    public static string Domains(AgentPlan plan)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Datadog Agent {plan.AgentVersion} on {plan.Site.Name} ({plan.Site.Domain}): host port/protocol feature\n");
        foreach (AgentDestination d in Checked(plan))
        {
            text.Append(CultureInfo.InvariantCulture, $"{d.HostName} {d.Port} {d.Feature}\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// A Squid include: per port, an <c>acl</c> of the hosts (<c>dstdomain</c>) and of the port, and one
    /// <c>http_access allow</c> for CONNECT to both; the ports beyond 443 are added to <c>SSL_ports</c> and <c>Safe_ports</c>,
    /// which Debian's squid.conf checks first. Nothing else is opened.
    /// </summary>
    public static string Squid(AgentPlan plan)
    {
        AgentDestination[] hosts = Checked(plan);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"# Datadog Agent {plan.AgentVersion} on {plan.Site.Name} ({plan.Site.Domain}): CONNECT to these hosts on these ports, nothing else.\n");
        text.Append("# In squid.conf, before the first 'http_access deny' that would refuse them (Debian's /etc/squid/conf.d/*.conf include is):\n");
        text.Append("#   include /etc/squid/conf.d/datadog-agent.conf\n#   (and keep 'http_access deny all' last)\n");
        // Raw TCP (logs over TCP) never reaches an HTTP proxy: the agent opens it directly (or through SOCKS5).
        foreach (AgentDestination raw in hosts.Where(d => d.Scheme is null))
        {
            text.Append(CultureInfo.InvariantCulture, $"# not through Squid: {raw.HostName} {raw.Port} ({raw.Feature} over raw TCP; allow it directly, or use logs over HTTPS)\n");
        }

        text.Append("acl datadog_connect method CONNECT\n");
        foreach (IGrouping<PortRange, AgentDestination> port in
            hosts.Where(d => d.Port.Protocol == TransportProtocol.Tcp && d.Scheme is not null).GroupBy(d => d.Port).OrderBy(g => g.Key))
        {
            int number = port.Key.First;
            if (number != 443)
            {
                text.Append(CultureInfo.InvariantCulture, $"acl SSL_ports port {number}\nacl Safe_ports port {number}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"acl datadog_port_{number} port {number}\n");
            foreach (string host in port.Select(d => d.HostName.ToLowerInvariant()).Distinct(StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"acl datadog_hosts_{number} dstdomain {host}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"http_access allow datadog_connect datadog_port_{number} datadog_hosts_{number}\n");
        }

        return text.ToString();
    }

    private static AgentDestination[] Checked(AgentPlan plan)
    {
        AgentDestination[] hosts = [.. Hosts(plan)];
        if (hosts.Length == 0)
        {
            throw new RuleGenerationException("the plan names no host to allow by name");
        }

        foreach (AgentDestination d in hosts)
        {
            if (!IsDnsName(d.HostName))
            {
                throw new RuleGenerationException($"the {d.Feature} destination is not a DNS host name " +
                    $"({(d.HostName.Length <= 60 && d.HostName.All(char.IsAsciiLetterOrDigit) ? d.HostName : "?")}): a name-aware allow-list holds names only");
            }
        }

        return hosts;
    }

    /// <summary>A DNS host name (the rule of <see cref="Names.NameRules.IsHostName"/>), a trailing dot allowed.</summary>
    internal static bool IsDnsName(string host) => Names.NameRules.IsHostName(host.TrimEnd('.'));
}
