using FirewallRules.AgentConfig;

namespace FirewallRules.Cli.Commands;

/// <summary>The ip-ranges document for an agent's plan: the agent's own site unless the command line names one.</summary>
internal static class AgentDocuments
{
    public static Task<IpRangesDocument> FetchAsync(RemoteSource remote, bool siteGiven, AgentPlan plan, CliConsole? console, CancellationToken cancellationToken)
    {
        RemoteSource source = siteGiven ? remote : remote with { Site = plan.Site };
        return source.CreateClient(console).GetAsync(source.Site, cancellationToken);
    }
}
