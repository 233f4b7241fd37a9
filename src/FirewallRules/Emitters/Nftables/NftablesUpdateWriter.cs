using FirewallRules.Emitters.Netfilter;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Nftables;

/// <summary>
/// The <c>nft -f</c> commands that turn the sets loaded from one rule set into those of the next: per set,
/// <c>delete element</c> for prefixes no longer listed, then <c>add element</c> for new ones, all in one transaction.
/// </summary>
/// <remarks>
/// Both rule sets are prepared by the render step's rules (<see cref="PreparedRules"/>) with the same options, and the
/// sets are named as the layout's table names them (<see cref="NftablesTable"/>). Elements are compared as written
/// (aggregated prefixes), not as addresses: a prefix that was split or merged is deleted and added again.
/// </remarks>
/// <param name="options">The options the full output was written with.</param>
internal sealed class NftablesUpdateWriter(NftablesEmitterOptions options)
{
    private readonly NftablesTable _table = NftablesTable.For(options);

    /// <summary>Writes the update from <paramref name="previous"/> to <paramref name="current"/>.</summary>
    /// <exception cref="RuleGenerationException">
    /// Either rule set is empty in the chosen families, or their shape differs (a set, direction, port, action or closed
    /// port appears or disappears): elements alone cannot express that.
    /// </exception>
    public void Write(RuleSet previous, RuleSet current, TextWriter output)
    {
        RuleSet before = Prepare(previous), after = Prepare(current);
        SetChange[] changes = SetChange.Plan(Sets(before), Sets(after), before, after, $"apply the full {_table.Format} output instead");

        if (options.Comments)
        {
            NetfilterText.WriteHeader(output, $"{options.Name}: incremental update of the Datadog sets in table inet {_table.Name}.", after,
            [
                $"Previous: {before.Provenance.DocumentVersion ?? "rules without a document version"}.",
                "Apply with: nft -f FILE   (one transaction: all of it or nothing; dry run: nft -c -f FILE)",
                "The sets must hold exactly what the full output of the previous version loaded; if an element to delete",
                "is missing (sets changed by hand, or rewritten by auto-merge), nft refuses the file and nothing changes:",
                $"then apply the full output (fwrules generate --format {_table.Format}).",
            ]);
            if (changes.All(c => c.IsEmpty))
            {
                NetfilterText.WriteComment(output, "Nothing to change: both versions list the same prefixes.");
            }
        }

        // Deletes first: a new prefix may overlap an old one, and interval sets refuse overlaps.
        foreach (SetChange change in changes.Where(c => !c.IsEmpty))
        {
            if (options.Comments)
            {
                NetfilterText.WriteComment(output, change.Summary);
            }

            _table.WriteElementCommand(output, "delete", change.Set, change.Deleted);
            _table.WriteElementCommand(output, "add", change.Set, change.Added);
        }
    }

    private RuleSet Prepare(RuleSet rules) => PreparedRules.Create(rules, options, AddressFamilies.Both, _table.Format).Rules;

    private IEnumerable<(string Name, FirewallRule Rule, PrefixSet Prefixes)> Sets(RuleSet prepared) =>
        _table.Sets(prepared).Select(s => (s.Name, s.Rule, s.Prefixes));
}
