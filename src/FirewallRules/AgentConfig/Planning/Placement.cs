using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>Where a host a planner names is allowed: in a published section (<see cref="IntakeHosts.Find"/>), else outside the ranges.</summary>
internal static class Placement
{
    /// <summary>A destination for <paramref name="host"/>: in a section when one publishes it, else outside the ranges.</summary>
    public static AgentDestination Of(string feature, string host, PortRange port, string purpose, string? scheme = "https") => (IntakeHosts.Find(host) is var (site, section)
        ? new AgentDestination(feature, host, port, DestinationCoverage.PublishedRanges, section, site, purpose)
        : new AgentDestination(feature, host, port, DestinationCoverage.NotPublished, null, null, purpose)) with { Scheme = scheme };
}
