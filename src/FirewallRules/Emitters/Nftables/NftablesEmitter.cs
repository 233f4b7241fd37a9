using System.Globalization;
using System.Net;
using FirewallRules.Emitters.Netfilter;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Nftables;

/// <summary>
/// An <c>nft -f</c> file: one kernel transaction that applies completely or not at all. Each rule's
/// prefixes go into a named interval set per family (<c>egress-tcp-443-v4</c>, <c>type ipv4_addr</c>,
/// <c>flags interval</c>; the elements are already aggregated, so none overlap), matched by
/// <c>ip daddr @set tcp dport 443 counter accept</c> (<c>saddr</c> for ingress, <c>ip6</c> for IPv6).
/// </summary>
/// <remarks>
/// <para>The <see cref="NftablesEmitterOptions.Layout"/> decides the container: a table of its own, declared,
/// deleted and defined again in the same file (an atomic replace that touches no other table), or sets and
/// regular chains inside your table, flushed and refilled in place. <see cref="WriteUpdate"/> writes
/// <c>delete element</c>/<c>add element</c> commands from one rule set to the next instead.</para>
/// <para>A port that a rule closes (<see cref="FirewallRule.ClosesPort"/>) gets <c>udp dport 8125 counter drop</c>
/// after the rules that allow it, in every layout, whatever the connection state (see <see cref="PortClosing"/>). In
/// <see cref="NftablesLayout.StrictOwnTable"/> those come before the loopback-interface accept: that exception
/// serves the strict drops of other ports, and would otherwise let a client on this host reach a closed port
/// through one of the host's own non-loopback addresses. Remote traffic never arrives on <c>lo</c>, and the kernel
/// drops loopback source addresses arriving on any other interface, so the allowed sets decide.</para>
/// <para>Comments are cut to nft's 128 bytes and can hold no double quote (nft has no escape for it).</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class NftablesEmitter : IRuleEmitter
{
    /// <summary>NFTNL_UDATA_COMMENT_MAXLEN.</summary>
    private const int MaxCommentLength = 128;

    private readonly NftablesEmitterOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">Layout, table, names, comments, families; the defaults when null.</param>
    public NftablesEmitter(NftablesEmitterOptions? options = null) => _options = options ?? new NftablesEmitterOptions();

    /// <summary><c>nftables</c>, <c>nftables-strict</c> or <c>nftables-chain</c>, after the layout.</summary>
    public string Format => _options.Layout switch
    {
        NftablesLayout.StrictOwnTable => "nftables-strict",
        NftablesLayout.ExistingTable => "nftables-chain",
        _ => "nftables",
    };

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => _options.Layout switch
    {
        NftablesLayout.StrictOwnTable =>
            "nft file replacing its own inet table atomically; also drops other new connections to the same ports: nft -f FILE",
        NftablesLayout.ExistingTable =>
            "nft file refilling sets and a chain per direction in your inet table (filter), for your chain to jump to: nft -f FILE",
        _ => "nft file replacing its own inet table atomically (sets, base chains, policy accept: counts, enforces deny): nft -f FILE",
    };

    private string LayoutSummary => _options.Layout switch
    {
        NftablesLayout.StrictOwnTable => $"in table inet {Table} of their own, strict",
        NftablesLayout.ExistingTable => $"as chains in your table inet {Table}",
        _ => $"in table inet {Table} of their own, policy accept",
    };

    private bool InExistingTable => _options.Layout == NftablesLayout.ExistingTable;

    private string Table => _options.TableName;

    /// <inheritdoc/>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        RuleSet prepared = rules.Rules;
        string body = InExistingTable ? WriteIntoExistingTable(prepared, rules.Families) : WriteOwnTable(prepared, rules.Families);
        if (_options.Comments)
        {
            string directions = string.Join(" and ", prepared.Directions.Select(d => d.Keyword()));
            NetfilterText.WriteHeader(output, $"{_options.Name}: Datadog {directions} rules for nftables, {LayoutSummary}.", prepared, Usage(prepared));
        }

        output.Write(body);
    }

    /// <summary>
    /// Writes the commands that turn the sets loaded from <paramref name="previous"/> into those of
    /// <paramref name="current"/>: per set, <c>delete element</c> for prefixes no longer listed, then
    /// <c>add element</c> for new ones, all in one transaction.
    /// </summary>
    /// <remarks>
    /// The sets must hold exactly what the full output of <paramref name="previous"/> loaded, with the same
    /// options. Elements are compared as written (aggregated prefixes), not as addresses: a prefix that was
    /// split or merged is deleted and added again. If an element to delete is missing (the sets were changed,
    /// or created elsewhere with <c>auto-merge</c>, which rewrites elements), nft refuses the whole file and
    /// nothing changes.
    /// </remarks>
    /// <exception cref="RuleGenerationException">
    /// Either rule set is empty in the chosen families, or their shape differs (a set, direction, port,
    /// action or closed port appears or disappears): elements alone cannot express that, so apply the full output.
    /// </exception>
    public void WriteUpdate(RuleSet previous, RuleSet current, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(output);
        RuleSet before = PreparedRules.For(previous, this).Rules, after = PreparedRules.For(current, this).Rules;
        Dictionary<string, NamedSet> oldSets = Sets(before).ToDictionary(s => s.Name, StringComparer.Ordinal);
        NamedSet[] newSets = Sets(after).ToArray();
        RequireSameShape(oldSets, newSets, before, after);

        using var body = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        bool changed = false;
        foreach (NamedSet set in newSets)
        {
            PrefixSet old = oldSets[set.Name].Prefixes;
            var oldElements = old.ToHashSet();
            var newElements = set.Prefixes.ToHashSet();
            IPNetwork[] deleted = old.Where(p => !newElements.Contains(p)).ToArray();
            IPNetwork[] added = set.Prefixes.Where(p => !oldElements.Contains(p)).ToArray();
            if (deleted.Length == 0 && added.Length == 0)
            {
                continue;
            }

            changed = true;
            if (_options.Comments)
            {
                NetfilterText.WriteComment(body, string.Create(CultureInfo.InvariantCulture,
                    $"{set.Name}: {NetfilterText.PrefixCount(deleted.Length)} out, {added.Length} in ({AddressCount(old.Except(set.Prefixes), set.Family)} addresses fewer, {AddressCount(set.Prefixes.Except(old), set.Family)} more)"));
            }

            // Deletes first: a new prefix may overlap an old one, and interval sets refuse overlaps.
            WriteElementCommand(body, "delete", set.Name, deleted);
            WriteElementCommand(body, "add", set.Name, added);
        }

        if (_options.Comments)
        {
            NetfilterText.WriteHeader(output, $"{_options.Name}: incremental update of the Datadog sets in table inet {Table}.", after,
            [
                $"Previous: {Describe(before.Provenance)}.",
                "Apply with: nft -f FILE   (one transaction: all of it or nothing; dry run: nft -c -f FILE)",
                "The sets must hold exactly what the full output of the previous version loaded; if an element to delete",
                "is missing (sets changed by hand, or rewritten by auto-merge), nft refuses the file and nothing changes:",
                $"then apply the full output (fwrules generate --format {Format}).",
            ]);
            if (!changed)
            {
                NetfilterText.WriteComment(output, "Nothing to change: both versions list the same prefixes.");
            }
        }

        output.Write(body.ToString());
    }

    private string WriteOwnTable(RuleSet prepared, AddressFamilies families)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };

        // Declaring the table first makes the delete succeed when it does not exist yet; all three commands
        // are one transaction, so the old table is replaced, never missing.
        text.Write($"table inet {Table} {{}}\ndelete table inet {Table}\ntable inet {Table} {{\n");
        string separator = string.Empty;
        foreach (NamedSet set in Sets(prepared))
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
        return text.ToString();
    }

    private string WriteIntoExistingTable(RuleSet prepared, AddressFamilies families)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };

        // add is a no-op for what exists, flush empties it: refilled in place, so jumps to the chains stay valid.
        foreach (NamedSet set in Sets(prepared))
        {
            text.Write($"add set inet {Table} {set.Name} {{ type {AddressType(set.Family)}; flags interval; }}\n");
            text.Write($"flush set inet {Table} {set.Name}\n");
            WriteElementCommand(text, "add", set.Name, set.Prefixes);
        }

        foreach (Direction direction in prepared.Directions)
        {
            string chain = ChainName(direction);
            text.Write($"add chain inet {Table} {chain}\nflush chain inet {Table} {chain}\n");
            foreach (string statement in ChainStatements(prepared, families, direction))
            {
                text.Write($"add rule inet {Table} {chain} {statement}\n");
            }
        }

        return text.ToString();
    }

    private IEnumerable<string> ChainStatements(RuleSet prepared, AddressFamilies families, Direction direction)
    {
        bool strict = _options.Layout == NftablesLayout.StrictOwnTable;
        PortClosing.ChainOrder order = PortClosing.Chain(prepared, direction);
        foreach (string statement in order.Reaching.SelectMany(rule => RuleStatements(prepared, rule)))
        {
            yield return statement;
        }

        foreach (PortRange port in order.Drops)
        {
            yield return $"{FamilyMatch(families)}{PortMatch(port)} counter drop{Comment(NetfilterText.DropComment(_options, direction, port, MaxCommentLength))}";
        }

        // A closed port's drop above already decided all of its traffic.
        PortRange[] strictPorts = strict
            ? prepared.Rules.Where(r => r.Direction == direction && r.Action == RuleAction.Allow).Select(r => r.Port).Distinct().Except(order.Drops).ToArray()
            : [];

        // The loopback exception serves what follows it; closed ports above are decided by address alone.
        if (strict && (order.Others.Count > 0 || strictPorts.Length > 0))
        {
            yield return direction == Direction.Egress ? "oif \"lo\" accept" : "iif \"lo\" accept";
        }

        foreach (string statement in order.Others.SelectMany(rule => RuleStatements(prepared, rule)))
        {
            yield return statement;
        }

        foreach (PortRange port in strictPorts)
        {
            string comment = Comment($"{_options.Name}: strict: no other new {direction.Keyword()} connection on {port}");
            yield return $"{FamilyMatch(families)}{PortMatch(port)} ct state new counter drop{comment}";
        }
    }

    private IEnumerable<string> RuleStatements(RuleSet prepared, FirewallRule rule)
    {
        string comment = Comment(NetfilterText.RuleComment(_options, prepared, rule, MaxCommentLength));
        foreach (AddressFamilies family in NetfilterText.SingleFamilies.Where(f => !NetfilterText.OfFamily(rule.Prefixes, f).IsEmpty))
        {
            string address = family == AddressFamilies.IPv4 ? "ip" : "ip6";
            string side = rule.Direction == Direction.Egress ? "daddr" : "saddr";
            string verdict = rule.Action == RuleAction.Allow ? "accept" : "drop";
            yield return $"{address} {side} @{SetName(rule, family)} {PortMatch(rule.Port)} counter {verdict}{comment}";
        }
    }

    private IEnumerable<string> Usage(RuleSet prepared)
    {
        if (InExistingTable)
        {
            yield return $"Apply atomically with: nft -f FILE   (dry run: nft -c -f FILE); table inet {Table} must exist.";
            yield return $"It refills the sets and chains named {_options.Name}-* in place (flush set, flush chain) and changes nothing else,";
            yield return "so it can run again while your rules jump to them. Jump to each chain from your base chain, e.g. in";
            yield return $"/etc/nftables.conf inside table inet {Table} (declare the chain so your file loads before this one):";
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
            yield break;
        }

        yield return "Apply atomically with: nft -f FILE   (dry run: nft -c -f FILE)";
        yield return $"It replaces table inet {Table} as a whole (creating it the first time) and touches no other table.";
        yield return "Base chains: egress at the output hook, ingress at the input hook, priority filter, policy accept.";
        if (_options.Layout == NftablesLayout.StrictOwnTable)
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

        if (_options.Layout == NftablesLayout.StrictOwnTable && prepared.ClosedPorts.Count > 0)
        {
            yield return "Closed ports come before the loopback exception: their allowed addresses decide on every interface.";
        }

        yield return "nftables runs the base chains of every table on each packet and a drop in any of them is final: an accept here";
        yield return "cannot let through what another table drops. To allow Datadog inside your own allow-list, use nftables-chain.";
    }

    /// <summary>
    /// What the drops (strict, closed ports) match besides the port: only the families rendered, so an IPv4-only
    /// output leaves IPv6 traffic alone.
    /// </summary>
    private static string FamilyMatch(AddressFamilies families) => families switch
    {
        AddressFamilies.IPv4 => "meta nfproto ipv4 ",
        AddressFamilies.IPv6 => "meta nfproto ipv6 ",
        _ => string.Empty,
    };

    private IEnumerable<NamedSet> Sets(RuleSet prepared) =>
        from rule in prepared.Rules
        from family in NetfilterText.SingleFamilies
        let prefixes = NetfilterText.OfFamily(rule.Prefixes, family)
        where !prefixes.IsEmpty
        select new NamedSet(SetName(rule, family), rule, family, prefixes);

    private void RequireSameShape(Dictionary<string, NamedSet> oldSets, NamedSet[] newSets, RuleSet before, RuleSet after)
    {
        string[] appeared = newSets.Where(s => !oldSets.ContainsKey(s.Name)).Select(s => s.Name).ToArray();
        string[] vanished = oldSets.Keys.Except(newSets.Select(s => s.Name), StringComparer.Ordinal).ToArray();
        string[] reversed = newSets.Where(s => oldSets.TryGetValue(s.Name, out NamedSet? old) && old.Rule.Action != s.Rule.Action).Select(s => s.Name).ToArray();
        // A closed port's drop is a chain statement, which element commands cannot add or remove.
        string[] reclosed = before.ClosedPorts.Concat(after.ClosedPorts).Except(before.ClosedPorts.Intersect(after.ClosedPorts))
            .Select(c => $"{c.Direction.Keyword()} {c.Port}").ToArray();
        if (appeared.Length + vanished.Length + reversed.Length + reclosed.Length == 0)
        {
            return;
        }

        var changes = new List<string>();
        if (appeared.Length > 0)
        {
            changes.Add("new sets " + string.Join(", ", appeared));
        }

        if (vanished.Length > 0)
        {
            changes.Add("sets no longer needed " + string.Join(", ", vanished));
        }

        if (reversed.Length > 0)
        {
            changes.Add("action changed for " + string.Join(", ", reversed));
        }

        if (reclosed.Length > 0)
        {
            changes.Add("closed or reopened " + string.Join(", ", reclosed));
        }

        throw new RuleGenerationException(
            $"the rules changed shape ({string.Join("; ", changes)}): an update can only change set elements; apply the full {Format} output instead");
    }

    private void WriteElementCommand(TextWriter output, string verb, string set, IReadOnlyCollection<IPNetwork> prefixes)
    {
        if (prefixes.Count == 0)
        {
            return;
        }

        output.Write($"{verb} element inet {Table} {set} {{\n");
        WriteElements(output, prefixes, "\t");
        output.Write("}\n");
    }

    private static void WriteElements(TextWriter output, IEnumerable<IPNetwork> prefixes, string indent)
    {
        string separator = string.Empty;
        foreach (IPNetwork prefix in prefixes)
        {
            output.Write($"{separator}{indent}{prefix}");
            separator = ",\n";
        }

        output.Write('\n');
    }

    private string ChainName(Direction direction) =>
        InExistingTable ? $"{_options.Name}-{direction.Keyword()}" : direction.Keyword();

    private string SetName(FirewallRule rule, AddressFamilies family) =>
        $"{(InExistingTable ? _options.Name + "-" : string.Empty)}{rule.Name}-{(family == AddressFamilies.IPv4 ? "v4" : "v6")}";

    private string Comment(string text) =>
        _options.Comments ? $" comment \"{NetfilterText.Sanitize(text, MaxCommentLength)}\"" : string.Empty;

    private static string PortMatch(PortRange port) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{port.Protocol.Keyword()} dport {port.First}{(port.IsSinglePort ? string.Empty : $"-{port.Last}")}");

    private static string AddressType(AddressFamilies family) => family == AddressFamilies.IPv4 ? "ipv4_addr" : "ipv6_addr";

    private static UInt128 AddressCount(PrefixSet prefixes, AddressFamilies family) =>
        family == AddressFamilies.IPv4 ? prefixes.IPv4AddressCount : prefixes.IPv6AddressCount;

    private static string Describe(RuleSetProvenance provenance) =>
        provenance.Version is long version
            ? string.Create(CultureInfo.InvariantCulture, $"ip-ranges version {version}{(string.IsNullOrEmpty(provenance.Modified) ? string.Empty : ", modified " + provenance.Modified)}")
            : "rules without a document version";

    private sealed record NamedSet(string Name, FirewallRule Rule, AddressFamilies Family, PrefixSet Prefixes);
}
