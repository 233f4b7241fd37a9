using FirewallRules.AgentConfig;
using FirewallRules.Verification;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>verify --agent-dir/--agent-config/--agent-env/--helm-values</c>: check the endpoints the agent's configuration uses on its
/// site (the published ones: a proxy, a custom URL or a PrivateLink name has no published prefixes to compare with).
/// </summary>
internal static class AgentVerify
{
    /// <summary>What the agent's configuration adds to a verify run.</summary>
    internal sealed record Selection(AgentConfigurationSources Sources, SiteChoice Site);

    public static async Task<(IReadOnlyList<AgentEndpoint> Endpoints, RemoteSource Source)> EndpointsAsync(
        Selection selection, RemoteSource source, IReadOnlyList<string> sections, CliConsole console, bool quiet, CancellationToken cancellationToken)
    {
        AgentPlan plan = await AgentConfigOptions.ReadAsync(selection.Sources, quiet ? null : console, cancellationToken).ConfigureAwait(false);
        selection.Site.Check(plan);
        AgentEndpoint[] endpoints = [.. plan.Destinations
            .Where(d => d.Coverage == DestinationCoverage.PublishedRanges && d.Site == plan.Site)
            .Where(d => sections.Count == 0 || sections.Contains(Ranges.Sections.GetName(d.Section!.Value), StringComparer.OrdinalIgnoreCase))
            .Select(d => new AgentEndpoint(d.HostName, d.Section!.Value, d.Port, d.Purpose))];
        if (!quiet)
        {
            foreach (AgentDestination other in plan.Destinations
                .Where(d => d.Coverage is DestinationCoverage.NotPublished or DestinationCoverage.ThroughProxy or DestinationCoverage.Proxy))
            {
                console.WriteWarning($"not verified: {other.HostName} ({other.Feature}, {other.Port}): {AgentCoverageText.Of(plan, other)}");
            }
        }

        return endpoints.Length > 0
            ? (endpoints, selection.Site.Given ? source : source with { Site = plan.Site })
            : throw new CliException("the agent's configuration uses no published endpoint: nothing to verify (see fwrules plan)");
    }
}
