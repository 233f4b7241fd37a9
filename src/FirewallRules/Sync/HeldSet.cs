using FirewallRules.Rules;

namespace FirewallRules.Sync;

/// <summary>The elements the kernel holds in one set a sync loads (<see cref="IFirewallBackend.Held"/>).</summary>
/// <param name="Rule">The rule the set is for (its direction, port and action name it; its own prefixes are what the sync would load).</param>
/// <param name="Prefixes">The elements the kernel holds in the set now (empty when the set is not there).</param>
internal sealed record HeldSet(FirewallRule Rule, PrefixSet Prefixes);
