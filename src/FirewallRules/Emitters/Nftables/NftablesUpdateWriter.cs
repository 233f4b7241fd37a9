using System.Globalization;
using System.Net;
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
        Dictionary<string, NftablesSet> oldSets = _table.Sets(before).ToDictionary(s => s.Name, StringComparer.Ordinal);
        NftablesSet[] newSets = _table.Sets(after).ToArray();
        RequireSameShape(oldSets, newSets, before, after);

        using var body = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        bool changed = false;
        foreach (NftablesSet set in newSets)
        {
            changed |= WriteChanges(body, oldSets[set.Name].Prefixes, set);
        }

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
            if (!changed)
            {
                NetfilterText.WriteComment(output, "Nothing to change: both versions list the same prefixes.");
            }
        }

        output.Write(body.ToString());
    }

    private RuleSet Prepare(RuleSet rules) => PreparedRules.Create(rules, options, AddressFamilies.Both, _table.Format).Rules;

    // Deletes first: a new prefix may overlap an old one, and interval sets refuse overlaps.
    private bool WriteChanges(TextWriter output, PrefixSet old, NftablesSet set)
    {
        var oldElements = old.ToHashSet();
        var newElements = set.Prefixes.ToHashSet();
        IPNetwork[] deleted = old.Where(p => !newElements.Contains(p)).ToArray();
        IPNetwork[] added = set.Prefixes.Where(p => !oldElements.Contains(p)).ToArray();
        if (deleted.Length == 0 && added.Length == 0)
        {
            return false;
        }

        if (options.Comments)
        {
            NetfilterText.WriteComment(output, string.Create(CultureInfo.InvariantCulture,
                $"{set.Name}: {NetfilterText.PrefixCount(deleted.Length)} out, {added.Length} in ({AddressCount(old.Except(set.Prefixes), set.Family)} addresses fewer, {AddressCount(set.Prefixes.Except(old), set.Family)} more)"));
        }

        // Some of an aggregated set's elements aggregate to themselves: the set writes exactly those elements.
        _table.WriteElementCommand(output, "delete", set.Name, PrefixSet.Create(deleted));
        _table.WriteElementCommand(output, "add", set.Name, PrefixSet.Create(added));
        return true;
    }

    private void RequireSameShape(Dictionary<string, NftablesSet> oldSets, NftablesSet[] newSets, RuleSet before, RuleSet after)
    {
        // A closed port's drop is a chain statement, which element commands cannot add or remove.
        (string What, string[] Names)[] changes =
        [
            ("new sets", newSets.Where(s => !oldSets.ContainsKey(s.Name)).Select(s => s.Name).ToArray()),
            ("sets no longer needed", oldSets.Keys.Except(newSets.Select(s => s.Name), StringComparer.Ordinal).ToArray()),
            ("action changed for", newSets.Where(s => oldSets.TryGetValue(s.Name, out NftablesSet? old) && old.Rule.Action != s.Rule.Action).Select(s => s.Name).ToArray()),
            ("closed or reopened", before.ClosedPorts.Concat(after.ClosedPorts).Except(before.ClosedPorts.Intersect(after.ClosedPorts))
                .Select(c => $"{c.Direction.Keyword()} {c.Port}").ToArray()),
        ];
        string[] found = changes.Where(c => c.Names.Length > 0).Select(c => $"{c.What} {string.Join(", ", c.Names)}").ToArray();
        if (found.Length > 0)
        {
            throw new RuleGenerationException(
                $"the rules changed shape ({string.Join("; ", found)}): an update can only change set elements; apply the full {_table.Format} output instead");
        }
    }

    private static UInt128 AddressCount(PrefixSet prefixes, AddressFamilies family) =>
        family == AddressFamilies.IPv4 ? prefixes.IPv4AddressCount : prefixes.IPv6AddressCount;
}
