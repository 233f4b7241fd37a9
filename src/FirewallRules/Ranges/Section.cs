using FirewallRules.Ranges;
namespace FirewallRules;

/// <summary>
/// The sections of Datadog's ip-ranges document known when this library was written. Documents can
/// hold more; those are kept and reachable by name (<see cref="IpRangesDocument.TryGetSection(string, out IpRangesSection?)"/>).
/// </summary>
/// <remarks>The document's key for each member is given by <see cref="Sections.GetName(Section)"/> (for example <c>remote-configuration</c>).</remarks>
public enum Section
{
    /// <summary><c>agents</c>: where the Agent submits metrics and most other data.</summary>
    Agents,

    /// <summary><c>api</c>: the API, for data your own code submits.</summary>
    Api,

    /// <summary><c>apm</c>: where the Agent sends traces.</summary>
    Apm,

    /// <summary><c>logs</c>: where the Agent sends logs (HTTPS on 443, or TCP on 10516).</summary>
    Logs,

    /// <summary><c>process</c>: live processes and containers.</summary>
    Process,

    /// <summary><c>orchestrator</c>: the orchestrator explorer (Kubernetes resources).</summary>
    Orchestrator,

    /// <summary><c>remote-configuration</c>: the Agent's remote configuration endpoint.</summary>
    RemoteConfiguration,

    /// <summary><c>global</c>: ranges shared by every endpoint.</summary>
    Global,

    /// <summary><c>webhooks</c>: sources Datadog sends webhooks from (inbound to you).</summary>
    Webhooks,

    /// <summary><c>synthetics</c>: sources of Synthetic tests (inbound to you), also listed per location.</summary>
    Synthetics,

    /// <summary><c>synthetics-private-locations</c>: where private locations report results.</summary>
    SyntheticsPrivateLocations,
}
