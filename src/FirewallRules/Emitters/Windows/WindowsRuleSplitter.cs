using FirewallRules.Rules;

namespace FirewallRules.Emitters.Windows;

/// <summary>Splits rules into Windows Firewall rules that respect the platform's limits; never truncates.</summary>
internal static class WindowsRuleSplitter
{
    /// <summary>
    /// <paramref name="rules"/>' rules, refused if two share a name (possible only in a hand-built set, such as an
    /// allow and a deny on one port): each Windows rule is known by its rule's name (netsh: in its description), so
    /// the names must be unique.
    /// </summary>
    /// <exception cref="RuleGenerationException">Two rules share a name.</exception>
    public static IReadOnlyList<FirewallRule> UniquelyNamed(RuleSet rules)
    {
        string? repeated = rules.Rules.GroupBy(rule => rule.Name).FirstOrDefault(group => group.Count() > 1)?.Key;
        return repeated is null
            ? rules.Rules
            : throw new RuleGenerationException(
                $"two rules are named {repeated} (one port and direction with two actions?): " +
                "each Windows rule is known by its rule's name, so the names must be unique");
    }

    /// <summary>The parts of <paramref name="rule"/>: its IPv4 prefixes, then its IPv6 prefixes, each split as <see cref="Chunk"/> does.</summary>
    /// <exception cref="RuleGenerationException">As <see cref="Chunk"/>.</exception>
    public static IReadOnlyList<WindowsRulePart> Split(FirewallRule rule, int maxAddresses, int maxListLength = int.MaxValue)
    {
        var parts = new List<WindowsRulePart>();
        foreach ((AddressFamilies family, PrefixSet prefixes) in new[] { (AddressFamilies.IPv4, rule.Prefixes.IPv4), (AddressFamilies.IPv6, rule.Prefixes.IPv6) })
        {
            // A rule need not hold both families; a family it lacks gets no Windows rule at all.
            if (prefixes.IsEmpty)
            {
                continue;
            }

            IReadOnlyList<Range> chunks = Chunk(prefixes, maxAddresses, maxListLength);
            parts.AddRange(chunks.Select((chunk, i) => new WindowsRulePart(rule, family, i + 1, chunks.Count, prefixes, chunk)));
        }

        return parts;
    }

    /// <summary>
    /// <paramref name="prefixes"/>, in order, in the fewest lists of at most <paramref name="maxAddresses"/> whose
    /// comma-separated text is at most <paramref name="maxListLength"/> characters: the ranges of the set's order each
    /// list takes. Planned from the prefixes' numbers (the length of each one's text), so no text is made.
    /// </summary>
    /// <exception cref="RuleGenerationException">
    /// There is no prefix (Windows reads an empty address list as any address), or one prefix alone is longer
    /// than <paramref name="maxListLength"/>.
    /// </exception>
    public static IReadOnlyList<Range> Chunk(PrefixSet prefixes, int maxAddresses, int maxListLength)
    {
        if (prefixes.IsEmpty)
        {
            throw new RuleGenerationException("an address list is empty: Windows Firewall reads that as any address, so no rule is written");
        }

        var chunks = new List<Range>();
        int start = 0, length = 0;
        for (int i = 0; i < prefixes.Count; i++)
        {
            int width = prefixes.TextLength(i);
            if (width > maxListLength)
            {
                throw new RuleGenerationException($"{prefixes.ElementAt(i)} does not fit in a rule's {maxListLength}-character address list");
            }

            int grown = i == start ? width : length + 1 + width;
            if (i - start == maxAddresses || grown > maxListLength)
            {
                chunks.Add(start..i);
                start = i;
                grown = width;
            }

            length = grown;
        }

        chunks.Add(start..prefixes.Count);
        return chunks;
    }
}
