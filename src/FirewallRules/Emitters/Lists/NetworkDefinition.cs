namespace FirewallRules.Emitters.Lists;

/// <summary>One named network of a definitions file: its own prefixes, or the names of the networks it groups.</summary>
/// <param name="Name">The token policies refer to, e.g. <c>DATADOG_US1_LOGS</c>.</param>
/// <param name="Prefixes">The aggregated prefixes; empty for a group.</param>
/// <param name="Members">The networks a group refers to; empty for a network of prefixes.</param>
internal sealed record NetworkDefinition(string Name, PrefixSet Prefixes, IReadOnlyList<string> Members);
