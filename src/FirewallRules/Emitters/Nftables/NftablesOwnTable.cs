using FirewallRules.Rules;

namespace FirewallRules.Emitters.Nftables;

/// <summary>
/// <see cref="NftablesLayout.OwnTable"/> and <see cref="NftablesLayout.StrictOwnTable"/>: a table of its own, declared,
/// deleted and defined again in one transaction (an atomic replace that touches no other table), with base chains at
/// the output and input hooks, policy accept.
/// </summary>
/// <remarks>
/// Strict, each chain also drops other new connections to its rules' ports, after a loopback-interface accept. Closed
/// ports' drops come before that exception: it serves the strict drops of other ports, and would otherwise let a client
/// on this host reach a closed port through one of the host's own non-loopback addresses. Remote traffic never arrives
/// on <c>lo</c>, and the kernel drops loopback source addresses arriving on any other interface, so the allowed sets decide.
/// </remarks>
internal sealed class NftablesOwnTable(NftablesEmitterOptions options, bool strict) : NftablesTable(options)
{
    /// <inheritdoc/>
    public override string Format => strict ? "nftables-strict" : "nftables";

    /// <inheritdoc/>
    public override string Description => strict
        ? "nft file replacing its own inet table atomically; also drops other new connections to the same ports: nft -f FILE"
        : "nft file replacing its own inet table atomically (sets, base chains, policy accept: counts, enforces deny): nft -f FILE";

    /// <inheritdoc/>
    public override string Summary => $"in table inet {Name} of their own, {(strict ? "strict" : "policy accept")}";

    /// <inheritdoc/>
    public override string ChainName(Direction direction) => direction.Keyword();

    /// <inheritdoc/>
    public override string SetName(FirewallRule rule, AddressFamilies family) =>
        $"{rule.Name}-{(family == AddressFamilies.IPv4 ? "v4" : "v6")}";

    /// <inheritdoc/>
    public override void Write(RuleSet prepared, AddressFamilies families, TextWriter text)
    {
        // Declaring the table first makes the delete succeed when it does not exist yet; all three commands
        // are one transaction, so the old table is replaced, never missing.
        text.Write($"table inet {Name} {{}}\ndelete table inet {Name}\ntable inet {Name} {{\n");
        string separator = string.Empty;
        foreach (NftablesSet set in Sets(prepared))
        {
            text.Write($"{separator}\tset {set.Name} {{\n\t\ttype {AddressType(set.Family)}\n\t\tflags interval\n\t\telements = {{\n");
            WriteElements(text, set.Prefixes, "\t\t\t");
            text.Write("\t\t}\n\t}\n");
            separator = "\n";
        }

        foreach (Direction direction in prepared.Directions)
        {
            string hook = direction == Direction.Egress ? "output" : "input";
            text.Write($"\n\tchain {ChainName(direction)} {{\n\t\ttype filter hook {hook} priority filter; policy accept;\n");
            foreach (string statement in ChainStatements(prepared, families, direction))
            {
                text.Write($"\t\t{statement}\n");
            }

            text.Write("\t}\n");
        }

        text.Write("}\n");
    }

    /// <inheritdoc/>
    public override IEnumerable<string> Usage(RuleSet prepared)
    {
        yield return "Apply atomically with: nft -f FILE   (dry run: nft -c -f FILE)";
        yield return $"It replaces table inet {Name} as a whole (creating it the first time) and touches no other table.";
        yield return "Base chains: egress at the output hook, ingress at the input hook, priority filter, policy accept.";
        if (strict)
        {
            yield return "Strict: any other new connection to the same ports in that direction is dropped (loopback excepted), so";
            yield return "only these ranges can be reached on them (egress) or connect to them (ingress); other ports are untouched.";
            yield return "A family without prefixes is closed on those ports too, unless the output is limited to one family.";
        }
        else
        {
            yield return prepared.ClosedPorts.Count == 0
                ? "Matching traffic is accepted and counted; nothing else changes."
                : "Matching traffic is accepted and counted; nothing else changes but the closed ports.";
        }

        foreach (string closed in PortClosing.Summary(prepared))
        {
            yield return closed;
        }

        if (strict && prepared.ClosedPorts.Count > 0)
        {
            yield return "Closed ports come before the loopback exception: their allowed addresses decide on every interface.";
        }

        yield return "nftables runs the base chains of every table on each packet and a drop in any of them is final: an accept here";
        yield return "cannot let through what another table drops. To allow Datadog inside your own allow-list, use nftables-chain.";
    }

    /// <inheritdoc/>
    /// <remarks>Strict: the loopback exception, the other rules, then one drop of other new connections per port they allow.</remarks>
    protected override IEnumerable<string> AfterDrops(RuleSet prepared, AddressFamilies families, Direction direction, PortClosing.ChainOrder order)
    {
        if (!strict)
        {
            return base.AfterDrops(prepared, families, direction, order);
        }

        // A closed port's drop already decided all of its traffic.
        PortRange[] strictPorts = prepared.Rules
            .Where(r => r.Direction == direction && r.Action == RuleAction.Allow).Select(r => r.Port).Distinct().Except(order.Drops).ToArray();

        // The loopback exception serves what follows it; closed ports above are decided by address alone.
        string[] loopback = order.Others.Count > 0 || strictPorts.Length > 0
            ? [direction == Direction.Egress ? "oif \"lo\" accept" : "iif \"lo\" accept"]
            : [];
        IEnumerable<string> drops = strictPorts.Select(port =>
            $"{FamilyMatch(families)}{PortMatch(port)} ct state new counter drop{Comment($"{Options.Name}: strict: no other new {direction.Keyword()} connection on {port}")}");
        return loopback.Concat(base.AfterDrops(prepared, families, direction, order)).Concat(drops);
    }
}
