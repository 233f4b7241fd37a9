using FirewallRules.PrivateLink;

namespace FirewallRules.Tests.Emitters;

/// <summary>The PrivateLink plans the real-tool tests render in every format: every AWS site in every mode it offers.</summary>
internal static class PrivateLinkPlans
{
    /// <summary>One plan per site and mode, for agents in IPv4 and IPv6 networks and one endpoint subnet.</summary>
    public static IEnumerable<PrivateLinkPlan> EverySiteAndMode() =>
        from site in PrivateLinkCatalog.AwsPrivateLinkSites
        from mode in Enum.GetValues<PrivateLinkMode>()
        where mode != PrivateLinkMode.CrossRegion || PrivateLinkCatalog.For(site)!.SupportsCrossRegion
        select PrivateLinkPlan.Create(new PrivateLinkOptions
        {
            Site = site,
            AgentNetworks = PrefixSet.Parse("10.0.0.0/16\nfd12:3456::/48"),
            EndpointSubnets = PrefixSet.Parse("10.1.0.0/24"),
            Mode = mode,
            PreferredSource = DocumentationSource.EndpointTable,
        });
}
