using FirewallRules.PrivateLink;

namespace FirewallRules.Emitters.Gcp;

/// <summary>The sentences both Private Service Connect formats write, so they say the same.</summary>
internal static class PrivateServiceConnectText
{
    /// <summary>A GCP resource name for a part of the plan: <c>{name}-{part}</c>, cut to 63 characters without a final <c>-</c>.</summary>
    public static string ResourceName(GcpFirewallOptions options, string part)
    {
        string name = $"{options.Name}-{part}";
        return (name.Length <= 63 ? name : name[..63]).TrimEnd('-');
    }

    /// <summary>What the guide asks beyond the resources, the endpoints created, and where the facts come from.</summary>
    public static IReadOnlyList<string> Guidance(PrivateServiceConnectPlan plan, IReadOnlyList<InterfaceEndpoint> endpoints)
    {
        var lines = new List<string>
        {
            $"Datadog publishes these services from {plan.Region}: the forwarding rules must be created there. " +
            (plan.GlobalAccess ? "Global access is on: agents in any region may use them." : "Global access is off: agents outside that region cannot use them (--global-access)."),
            "Check that each endpoint's status is Accepted before relying on it (gcloud compute forwarding-rules describe NAME --region REGION).",
        };
        lines.AddRange(endpoints.Select(e =>
            $"Endpoint {e.Key}: {e.ServiceName} for {string.Join(", ", e.PrivateDnsNames)} ({string.Join(", ", e.Serves.Select(s => s.Label))})."));
        lines.Add(
            "Zones: each private DNS name gets a private zone on the network with an A record for its own name; " +
            "agent.<site> holds the zone's own name and * for metrics (the Agent's versioned <version>-app.agent. names) " +
            "and trace for traces, as the guide lists them.");
        lines.Add($"Service attachments and DNS names as documented in {PrivateLinkCatalog.Cite(DocumentationSource.GcpGuide)}.");
        return lines;
    }
}
