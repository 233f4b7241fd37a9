using FirewallRules.Rules;

namespace FirewallRules.Emitters.Gcp;

/// <summary>One VPC firewall rule as the Compute API has it.</summary>
/// <param name="Name">Valid for GCP (checked by the plan).</param>
/// <param name="Direction">Egress or ingress.</param>
/// <param name="Priority">0-65535, distinct within the plan's direction.</param>
/// <param name="Action">Allow or deny.</param>
/// <param name="Port">The destination port; null for every protocol and port (the planned egress deny).</param>
/// <param name="Ranges">The remote ranges (destinations for egress, sources for ingress), one family, as numbers until written.</param>
/// <param name="Description">What the rule does, from validated parts only.</param>
internal sealed record GcpFirewallRule(string Name, Direction Direction, int Priority, RuleAction Action, PortRange? Port, PrefixSet Ranges, string Description)
{
    /// <summary><c>EGRESS</c> or <c>INGRESS</c>.</summary>
    public string DirectionName => Direction == Direction.Egress ? "EGRESS" : "INGRESS";

    /// <summary><c>allow</c> or <c>deny</c>: the Compute API's block name (<c>allowed</c>/<c>denied</c> in JSON, <c>--action</c> in gcloud).</summary>
    public string ActionName => Action == RuleAction.Allow ? "allow" : "deny";

    /// <summary><c>tcp</c>, <c>udp</c>, or <c>all</c>.</summary>
    public string Protocol => Port is PortRange port ? port.Protocol.Keyword() : "all";

    /// <summary><c>443</c> or <c>8000-8100</c>; null with <see cref="Protocol"/> <c>all</c>.</summary>
    public string? Ports => Port?.Text();

    /// <summary>gcloud's <c>--rules</c> value: <c>tcp:443</c>, or <c>all</c>.</summary>
    public string GcloudRules => Ports is string ports ? $"{Protocol}:{ports}" : Protocol;

    /// <summary>Whether the plan added this deny rather than a rule of the set.</summary>
    public bool IsPlannedDeny { get; init; }
}
