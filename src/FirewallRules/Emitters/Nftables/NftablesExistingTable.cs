using FirewallRules.Rules;

namespace FirewallRules.Emitters.Nftables;

/// <summary>
/// <see cref="NftablesLayout.ExistingTable"/>: sets and one regular chain per direction, named <c>{Name}-*</c>, inside
/// your existing table, added if missing and flushed: refilled in place, so jumps to the chains stay valid.
/// </summary>
internal sealed class NftablesExistingTable(NftablesEmitterOptions options) : NftablesTable(options)
{
    /// <inheritdoc/>
    public override string Format => "nftables-chain";

    /// <inheritdoc/>
    public override string Description =>
        "nft file refilling sets and a chain per direction in your inet table (filter), for your chain to jump to: nft -f FILE";

    /// <inheritdoc/>
    public override string Summary => $"as chains in your table inet {Name}";

    /// <inheritdoc/>
    public override string ChainName(Direction direction) => $"{Options.Name}-{direction.Keyword()}";

    /// <inheritdoc/>
    public override string SetName(FirewallRule rule, AddressFamilies family) =>
        $"{Options.Name}-{rule.Name}-{(family == AddressFamilies.IPv4 ? "v4" : "v6")}";

    /// <inheritdoc/>
    public override void Write(RuleSet prepared, AddressFamilies families, TextWriter text)
    {
        // add is a no-op for what exists, flush empties it: refilled in place, so jumps to the chains stay valid.
        foreach (NftablesSet set in Sets(prepared))
        {
            text.Write($"add set inet {Name} {set.Name} {{ type {AddressType(set.Family)}; flags interval; }}\n");
            text.Write($"flush set inet {Name} {set.Name}\n");
            WriteElementCommand(text, "add", set.Name, set.Prefixes);
        }

        foreach (Direction direction in prepared.Directions)
        {
            string chain = ChainName(direction);
            text.Write($"add chain inet {Name} {chain}\nflush chain inet {Name} {chain}\n");
            foreach (string statement in ChainStatements(prepared, families, direction))
            {
                text.Write($"add rule inet {Name} {chain} {statement}\n");
            }
        }
    }

    /// <inheritdoc/>
    public override IEnumerable<string> Usage(RuleSet prepared)
    {
        yield return $"Apply atomically with: nft -f FILE   (dry run: nft -c -f FILE); table inet {Name} must exist.";
        yield return $"It refills the sets and chains named {Options.Name}-* in place (flush set, flush chain) and changes nothing else,";
        yield return "so it can run again while your rules jump to them. Jump to each chain from your base chain, e.g. in";
        yield return $"/etc/nftables.conf inside table inet {Name} (declare the chain so your file loads before this one):";
        foreach (Direction direction in prepared.Directions)
        {
            yield return $"  chain {ChainName(direction)} {{ }}   and in your {(direction == Direction.Egress ? "output" : "input")} chain:   jump {ChainName(direction)}";
        }

        yield return "Matching traffic is accepted (or dropped, for deny rules); the rest returns to your chain and its policy.";
        foreach (string closed in PortClosing.Summary(prepared))
        {
            yield return closed;
        }

        yield return "Apply this file again after reloading your own configuration.";
    }
}
