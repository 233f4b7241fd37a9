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
            : throw new RuleGenerationException($"two rules are named {repeated} (one port and direction with two actions?): each Windows rule is known by its rule's name, so the names must be unique");
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

            IReadOnlyList<IReadOnlyList<string>> chunks = Chunk(prefixes.Select(p => p.ToString()).ToArray(), maxAddresses, maxListLength);
            parts.AddRange(chunks.Select((chunk, i) => new WindowsRulePart(rule, family, i + 1, chunks.Count, chunk)));
        }

        return parts;
    }

    /// <summary>
    /// <paramref name="addresses"/>, in order, in the fewest lists of at most <paramref name="maxAddresses"/>
    /// whose comma-separated text is at most <paramref name="maxListLength"/> characters.
    /// </summary>
    /// <exception cref="RuleGenerationException">
    /// There is no address (Windows reads an empty address list as any address), or one address alone is longer
    /// than <paramref name="maxListLength"/>.
    /// </exception>
    public static IReadOnlyList<IReadOnlyList<string>> Chunk(IReadOnlyList<string> addresses, int maxAddresses, int maxListLength)
    {
        if (addresses.Count == 0)
        {
            throw new RuleGenerationException("an address list is empty: Windows Firewall reads that as any address, so no rule is written");
        }

        var chunks = new List<IReadOnlyList<string>>();
        var chunk = new List<string>();
        int length = 0;
        foreach (string address in addresses)
        {
            if (address.Length > maxListLength)
            {
                throw new RuleGenerationException($"{address} does not fit in a rule's {maxListLength}-character address list");
            }

            int grown = chunk.Count == 0 ? address.Length : length + 1 + address.Length;
            if (chunk.Count == maxAddresses || grown > maxListLength)
            {
                chunks.Add(chunk);
                chunk = [];
                grown = address.Length;
            }

            chunk.Add(address);
            length = grown;
        }

        chunks.Add(chunk);
        return chunks;
    }
}
