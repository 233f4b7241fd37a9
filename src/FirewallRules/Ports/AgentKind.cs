namespace FirewallRules.Ports;

/// <summary>The agents whose ports the catalog describes.</summary>
public enum AgentKind
{
    /// <summary>The Datadog Agent, versions 6 and 7.</summary>
    DatadogAgent,

    /// <summary>The Datadog Agent, versions 5 and 4.</summary>
    DatadogAgentV5,

    /// <summary>Datakit (its listener table as published, descriptions verbatim).</summary>
    Datakit,
}
