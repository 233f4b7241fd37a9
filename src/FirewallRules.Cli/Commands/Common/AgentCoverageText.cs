using FirewallRules.AgentConfig;
using FirewallRules.Ranges;

namespace FirewallRules.Cli.Commands;

/// <summary>What covers a destination of an agent's plan, as <c>plan</c> prints it and <c>verify</c> warns of it.</summary>
internal static class AgentCoverageText
{
    /// <summary>What covers <paramref name="destination"/>, in the words of <c>plan</c>'s COVERED BY column.</summary>
    public static string Of(AgentPlan plan, AgentDestination destination) => destination.Coverage switch
    {
        // Reached directly although a proxy is set: no_proxy sends it past the proxy, so the host's firewall allows it.
        DestinationCoverage.NotPublished when destination.PastProxy is not null => $"not covered by the published ranges, and past the proxy (no_proxy): {destination.AllowBy}",
        DestinationCoverage.PublishedRanges when destination.Site == plan.Site => Sections.GetName(destination.Section!.Value),
        DestinationCoverage.PublishedRanges => $"{Sections.GetName(destination.Section!.Value)} of {destination.Site!.Name} (another site's ranges)",
        DestinationCoverage.ThroughProxy => $"the proxy {plan.Proxy!.HostName}:{plan.Proxy.Port.First}",
        DestinationCoverage.Proxy => "the proxy itself: allow it",
        DestinationCoverage.AnyAddress => "any address (a public pool)",
        DestinationCoverage.Cluster => "the cluster (not Datadog)",
        _ => $"not covered by the published ranges: {destination.AllowBy}",
    };
}
