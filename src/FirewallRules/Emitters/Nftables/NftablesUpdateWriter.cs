using FirewallRules.Emitters.Netfilter;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Nftables;

/// <summary>
/// The <c>nft -f</c> commands that turn the sets loaded from one rule set into those of the next, in one transaction:
/// per set that changes, <c>flush set</c> and <c>add element</c> of the whole new list; then each chain flushed and its
/// rules added again, so that the rules' comments name the version in force.
/// </summary>
/// <remarks>
/// Why not <c>delete element</c> of what left and <c>add element</c> of what came: applied twice, the deletes fail
/// (<c>Error: element does not exist</c>) and nft 1.0.6 (Debian 12) has no <c>destroy element</c> (1.0.8 and later);
/// and in an interval set an add can be refused when an old prefix overlaps a new aggregate. A flush and a whole add in
/// the same <c>nft -f</c> transaction is idempotent, needs no knowledge of what the set holds, and is still atomic: a
/// packet sees the old set or the new one. The price: the rules' counters restart at each update.
/// </remarks>
/// <remarks>
/// Both rule sets come prepared by the render step (<see cref="RuleSetRendering.RenderUpdate"/>) with the same options, and the
/// sets are named as the layout's table names them (<see cref="NftablesTable"/>). Elements are compared as written
/// (aggregated prefixes), not as addresses: a prefix that was split or merged is deleted and added again.
/// </remarks>
/// <param name="options">The options the full output was written with.</param>
internal sealed class NftablesUpdateWriter(NftablesEmitterOptions options)
{
    private readonly NftablesTable _table = NftablesTable.For(options);

    /// <summary>
    /// The update from <paramref name="previous"/> to <paramref name="current"/>, through the render step: both prepared as
    /// the full output (an <see cref="NftablesEmitter"/> with the same options) prepares them.
    /// </summary>
    /// <returns>The current rules as prepared: what the sets hold once the update is applied.</returns>
    /// <inheritdoc cref="Write" path="/exception"/>
    public static RuleSet Render(RuleSet previous, RuleSet current, NftablesEmitterOptions? options, TextWriter output)
    {
        NftablesEmitterOptions chosen = options ?? new NftablesEmitterOptions();
        return current.RenderUpdate(previous, new NftablesEmitter(chosen), (before, after) => new NftablesUpdateWriter(chosen).Write(before, after, output));
    }

    /// <summary>Writes the update from <paramref name="previous"/> to <paramref name="current"/>.</summary>
    /// <exception cref="RuleGenerationException">
    /// Either rule set is empty in the chosen families, or their shape differs (a set, direction, port, action or closed
    /// port appears or disappears): elements alone cannot express that.
    /// </exception>
    public void Write(PreparedRules previous, PreparedRules current, TextWriter output)
    {
        RuleSet before = previous.Rules, after = current.Rules;
        SetChange[] changes = SetChange.Plan(Sets(before), Sets(after), before, after, $"apply the full {_table.Format} output instead");

        if (options.Comments)
        {
            NetfilterText.WriteHeader(output, $"{options.Name}: incremental update of the Datadog sets in table inet {_table.Name}.", after,
            [
                $"Previous: {before.Provenance.DocumentVersion ?? "rules without a document version"}.",
                "Apply with: nft -f FILE   (one transaction: all of it or nothing; dry run: nft -c -f FILE)",
                "Each changed set is flushed and refilled whole, and the rules of each chain replaced (counters restart),",
                "so applying it again changes nothing. The sets and chains must exist (the full output of the previous",
                $"version made them); if not, nft refuses the file and nothing changes: apply the full output (fwrules generate --format {_table.Format}).",
            ]);
            if (changes.All(c => c.IsEmpty))
            {
                NetfilterText.WriteComment(output, "Nothing to change: both versions list the same prefixes.");
            }
        }

        foreach (SetChange change in changes.Where(c => !c.IsEmpty))
        {
            if (options.Comments)
            {
                NetfilterText.WriteComment(output, change.Summary);
            }

            // Flushed and refilled whole in the same transaction: idempotent, and never an overlap with what was there.
            output.Write($"flush set inet {_table.Name} {change.Set}\n");
            _table.WriteElementCommand(output, "add", change.Set, change.Current);
        }

        if (options.Comments)
        {
            NetfilterText.WriteComment(output, $"The rules again, their comments naming {after.Provenance.DocumentVersion ?? "these rules"}.");
        }

        _table.WriteChainRefill(after, options.Families, output);
    }

    private IEnumerable<(string Name, FirewallRule Rule, PrefixSet Prefixes)> Sets(RuleSet prepared) =>
        _table.Sets(prepared).Select(s => (s.Name, s.Rule, s.Prefixes));
}
