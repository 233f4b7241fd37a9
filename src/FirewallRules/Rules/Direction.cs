namespace FirewallRules;

/// <summary>Which way traffic flows, seen from the hosts the rules protect.</summary>
public enum Direction
{
    /// <summary>Outbound: your hosts connect to the prefixes (the Agent sending data to Datadog).</summary>
    Egress,

    /// <summary>Inbound: the prefixes connect to your hosts (webhooks and Synthetic tests from Datadog).</summary>
    Ingress,
}
