namespace FirewallRules.Emitters.Nftables;

/// <summary>
/// Where the nftables output puts its rules, which decides what they can do: nftables runs the base chains
/// of every table on each packet, a drop in any of them is final, and a chain of one table cannot be
/// jumped to from another.
/// </summary>
public enum NftablesLayout
{
    /// <summary>
    /// A table of its own (<c>table inet {Table}</c>), replaced as a whole, with base chains at the output
    /// (egress) and input (ingress) hooks, policy accept. Matching traffic is accepted and counted and nothing
    /// else changes: the accepts cannot let through what another table drops, so on their own they only
    /// count. Deny rules are enforced, and so are closed ports (<see cref="Rules.FirewallRule.ClosesPort"/>): their
    /// other traffic is dropped.
    /// </summary>
    OwnTable,

    /// <summary>
    /// As <see cref="OwnTable"/>, and every other new connection to the rules' ports in that direction is
    /// dropped (loopback excepted): only Datadog's ranges can be reached on those ports (egress) or connect
    /// to them (ingress). Other ports, and established or related traffic, are untouched. Closed ports are decided
    /// by address, before the loopback exception, as in the other layouts.
    /// </summary>
    StrictOwnTable,

    /// <summary>
    /// Sets and one regular chain per direction (<c>{Name}-egress</c>, <c>{Name}-ingress</c>) inside your
    /// existing inet table, refilled in place (flush set, flush chain), for your base chain to <c>jump</c> to:
    /// matches are accepted, other traffic to closed ports is dropped, the rest returns to your chain and your policy.
    /// </summary>
    ExistingTable,
}
