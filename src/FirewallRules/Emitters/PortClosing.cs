using FirewallRules.Emitters.Azure;
using FirewallRules.Rules;

namespace FirewallRules.Emitters;

/// <summary>
/// What every emitter does for ports that rules close (<see cref="FirewallRule.ClosesPort"/>), decided in one place:
/// a closed port admits the prefixes of every allow rule reaching it in that direction, and nothing else.
/// </summary>
/// <remarks>
/// <para>Chains (iptables, nftables) list, per direction, the rules reaching a closed port first, then one drop per
/// closed port matching only its protocol and port (the chain sees all traffic), then the other rules. That is the
/// same as dropping after every rule, since the other rules cannot match a closed port, and nothing a layout puts
/// between the two parts (nftables-strict's loopback-interface accept) can reopen a closed port: the addresses
/// decide, whichever interface the traffic uses.</para>
/// <para>Platforms that deny by default need nothing more (AWS security groups; Windows inbound, whose block rules
/// would also beat the allows); Azure NSGs get an explicit deny below the allows (<see cref="NsgPlan"/>).</para>
/// </remarks>
internal static class PortClosing
{
    /// <summary>The ports closed in <paramref name="direction"/>, in rule order.</summary>
    public static IReadOnlyList<PortRange> In(RuleSet prepared, Direction direction) =>
        prepared.ClosedPorts.Where(c => c.Direction == direction).Select(c => c.Port).ToArray();

    /// <summary>The rules and drops of <paramref name="direction"/>, in the order a chain lists them.</summary>
    public static ChainOrder Chain(RuleSet prepared, Direction direction)
    {
        IReadOnlyList<PortRange> closed = In(prepared, direction);
        ILookup<bool, FirewallRule> reaching = prepared.Rules
            .Where(r => r.Direction == direction)
            .ToLookup(r => closed.Any(port => Overlap(port, r.Port)));
        return new ChainOrder([.. reaching[true]], closed, [.. reaching[false]]);
    }

    /// <summary>
    /// What the drop of a closed port does, in the words of <see cref="FirewallRule.Description"/>: <c>drop other
    /// ingress on 8125/udp (closed port)</c>, with the platform's <paramref name="verb"/> (<c>drop</c>, <c>deny</c>).
    /// </summary>
    public static string DropDescription(Direction direction, PortRange port, string verb = "drop") =>
        $"{verb} other {(direction == Direction.Egress ? "egress to" : "ingress on")} {port} (closed port)";

    /// <summary>
    /// One sentence per direction with closed ports, for output headers, e.g. <c>Closed ports: any other ingress on
    /// 8125/udp, 8126/tcp is dropped; only the addresses allowed here may use them.</c>; none without closed ports.
    /// </summary>
    public static IEnumerable<string> Summary(RuleSet prepared) =>
        from direction in prepared.Directions
        let ports = In(prepared, direction)
        where ports.Count > 0
        select $"Closed ports: any other {(direction == Direction.Egress ? "egress to" : "ingress on")} {string.Join(", ", ports)} is dropped; " +
            $"only the addresses allowed here may use {(ports.Count == 1 ? "it" : "them")}.";

    private static bool Overlap(PortRange a, PortRange b) => a.Protocol == b.Protocol && a.First <= b.Last && b.First <= a.Last;

    /// <summary>A direction's chain: <paramref name="Reaching"/> (rules on closed ports), then <paramref name="Drops"/>, then <paramref name="Others"/>.</summary>
    /// <param name="Reaching">The rules whose port overlaps a closed port, in rule order.</param>
    /// <param name="Drops">The closed ports, each dropped after <paramref name="Reaching"/>.</param>
    /// <param name="Others">The rules that cannot match a closed port, in rule order.</param>
    internal sealed record ChainOrder(IReadOnlyList<FirewallRule> Reaching, IReadOnlyList<PortRange> Drops, IReadOnlyList<FirewallRule> Others);
}
