using System.Text;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Lists;

/// <summary>
/// The networks that the definitions formats (<c>capirca</c>, <c>aerleon</c>) name for a rule set, planned before
/// either writes: one network per section, named <c>NAME_SITE_SECTION</c> (for example <c>DATADOG_US1_LOGS</c>),
/// holding that section's aggregated prefixes, and, when there are several, one named <c>NAME_SITE</c> grouping them.
/// Rules that no longer know each section's own prefixes (summarised to a prefix budget, or built by hand) give one
/// network per rule's sections together, e.g. <c>DATADOG_US1_API_LOGS</c>.
/// </summary>
/// <remarks>
/// Names hold only what both tools' name rule allows (<c>A-Z</c>, <c>0-9</c>, <c>_</c>); any other character of
/// a section key becomes <c>_</c>, and two groups that would share a name are refused.
/// </remarks>
internal static class NetworkDefinitions
{
    /// <summary>Plans the networks, then writes the provenance as <c>#</c> lines when comments are on (both formats' comment).</summary>
    /// <returns>The networks to write, groups last.</returns>
    /// <exception cref="RuleGenerationException">Two groups of sections would get the same name; nothing was written.</exception>
    public static IReadOnlyList<NetworkDefinition> PlanAndWriteHeader(PreparedRules rules, EmitterOptions options, TextWriter output)
    {
        IReadOnlyList<NetworkDefinition> networks = Plan(rules, options);
        if (options.Comments)
        {
            CommentText.Write(output, "#", rules.Rules.Describe());
        }

        return networks;
    }

    private static List<NetworkDefinition> Plan(PreparedRules rules, EmitterOptions options)
    {
        string stem = Token(options.Name) + (rules.Rules.Provenance.Site is { IsCustom: false } site ? "_" + Token(site.Name) : string.Empty);
        var networks = new SortedDictionary<string, (string Sources, PrefixSet Prefixes)>(StringComparer.Ordinal);
        foreach ((IReadOnlyList<string> group, PrefixSet prefixes) in rules.Rules.Rules.SelectMany(Groups))
        {
            string sources = group.Count == 0 ? "rules without a section" : string.Join(", ", group);
            string name = string.Join('_', group.Select(Token).Prepend(stem));
            if (!networks.TryGetValue(name, out (string Sources, PrefixSet Prefixes) held))
            {
                networks[name] = (sources, prefixes);
            }
            else if (held.Sources == sources)
            {
                networks[name] = (sources, held.Prefixes.Union(prefixes));
            }
            else
            {
                throw Clash(name, held.Sources, sources);
            }
        }

        List<NetworkDefinition> planned = [.. networks.Select(n => new NetworkDefinition(n.Key, n.Value.Prefixes, []))];
        if (planned.Count > 1)
        {
            // Only rules built by hand without a source are named by the stem alone.
            planned.Add(networks.TryGetValue(stem, out (string Sources, PrefixSet Prefixes) taken)
                ? throw Clash(stem, taken.Sources, "the group of every section")
                : new NetworkDefinition(stem, PrefixSet.Empty, [.. networks.Keys]));
        }

        return planned;
    }

    /// <summary>Each section of <paramref name="rule"/> with its own prefixes when the rule knows them, else its sections together.</summary>
    private static IEnumerable<(IReadOnlyList<string> Sources, PrefixSet Prefixes)> Groups(FirewallRule rule) =>
        rule.SourcePrefixes is { } own
            ? rule.Sources.Zip(own, (source, prefixes) => (Sources: (IReadOnlyList<string>)[source], Prefixes: prefixes)).Where(s => !s.Prefixes.IsEmpty)
            : [(rule.Sources, rule.Prefixes)];

    /// <summary><paramref name="text"/> upper-cased, with every character other than an ASCII letter or digit made <c>_</c>.</summary>
    private static string Token(string text)
    {
        var token = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            token.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return token.ToString();
    }

    private static RuleGenerationException Clash(string name, string first, string second) =>
        new($"the network name {name} would stand for both {first} and {second}: render these sections separately");
}
