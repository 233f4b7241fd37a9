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
/// regular chains inside your table, flushed and refilled in place. <see cref="WriteUpdate"/> writes the update from
/// one rule set to the next instead: each changed set flushed and refilled whole, in one transaction.</para>
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
    private readonly NftablesEmitterOptions _options;
    private readonly NftablesTable _table;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">Layout, table, names, comments, families; the defaults when null.</param>
    public NftablesEmitter(NftablesEmitterOptions? options = null)
    {
        _options = options ?? new NftablesEmitterOptions();
        _table = NftablesTable.For(_options);
    }

    /// <summary><c>nftables</c>, <c>nftables-strict</c> or <c>nftables-chain</c>, after the layout.</summary>
    public string Format => _table.Format;

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => _table.Description;

    /// <inheritdoc/>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        RuleSet prepared = rules.Rules;
        if (_options.Comments)
        {
            string directions = string.Join(" and ", prepared.Directions.Select(d => d.Keyword()));
            NetfilterText.WriteHeader(output, $"{_options.Name}: Datadog {directions} rules for nftables, {_table.Summary}.", prepared, _table.Usage(prepared));
        }

        _table.Write(prepared, rules.Families, output);
    }

    /// <summary>
    /// Writes the commands that turn the sets loaded from <paramref name="previous"/> into those of
    /// <paramref name="current"/>: per set that changes, <c>flush set</c> and <c>add element</c> of its whole new list,
    /// then each chain refilled so its comments name the new version, all in one transaction that is safe to apply twice.
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
        NftablesUpdateWriter.Render(previous, current, _options, output);
    }
}
