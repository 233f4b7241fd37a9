using System.Globalization;
using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Netfilter;

/// <summary>
/// One set's change from one version of the rules to the next, element by element as the outputs write them
/// (aggregated prefixes, not addresses: a prefix that was split or merged leaves and comes back). What the nftables and
/// ipset incremental updates write, and the one check both make before writing anything.
/// </summary>
internal sealed class SetChange
{
    private SetChange(string set, PrefixSet old, PrefixSet current)
    {
        Set = set;
        Old = old;
        Current = current;
        var oldElements = old.ToHashSet();
        var newElements = current.ToHashSet();
        Deleted = [.. old.Where(p => !newElements.Contains(p))];
        Added = [.. current.Where(p => !oldElements.Contains(p))];
        Kept = [.. current.Where(oldElements.Contains)];
    }

    /// <summary>The set's name in the output.</summary>
    public string Set { get; }

    /// <summary>What the previous version's full output loaded into the set.</summary>
    public PrefixSet Old { get; }

    /// <summary>What the current version's full output would load.</summary>
    public PrefixSet Current { get; }

    /// <summary>The elements of <see cref="Old"/> that <see cref="Current"/> does not list, in order.</summary>
    public IReadOnlyList<IPNetwork> Deleted { get; }

    /// <summary>The elements of <see cref="Current"/> that <see cref="Old"/> did not list, in order.</summary>
    public IReadOnlyList<IPNetwork> Added { get; }

    /// <summary>The elements both list, in order.</summary>
    public IReadOnlyList<IPNetwork> Kept { get; }

    /// <summary>Whether the set keeps its elements.</summary>
    public bool IsEmpty => Deleted.Count == 0 && Added.Count == 0;

    /// <summary>For a comment: e.g. <c>egress-tcp-443-v4: 2 prefixes out, 1 in (384 addresses fewer, 256 more)</c>.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{Set}: {NetfilterText.PrefixCount(Deleted.Count)} out, {Added.Count} in ({AddressCount(Old.Except(Current))} addresses fewer, {AddressCount(Current.Except(Old))} more)");

    /// <summary>
    /// The change of every set of <paramref name="after"/>, in its order, once it is clear that elements alone can express
    /// it: the same sets exist in both versions, each for a rule with the same action, and the same ports are closed.
    /// </summary>
    /// <param name="oldSets">The sets the previous version's full output loaded, with the rule each serves.</param>
    /// <param name="newSets">The sets of the current version, in output order.</param>
    /// <param name="before">The previous rules, prepared.</param>
    /// <param name="after">The current rules, prepared.</param>
    /// <param name="remedy">What to do instead, ending the refusal, e.g. <c>apply the full nftables output instead</c>.</param>
    /// <exception cref="RuleGenerationException">The rules changed shape; the message names each change.</exception>
    public static SetChange[] Plan(
        IEnumerable<(string Name, FirewallRule Rule, PrefixSet Prefixes)> oldSets,
        IEnumerable<(string Name, FirewallRule Rule, PrefixSet Prefixes)> newSets,
        RuleSet before,
        RuleSet after,
        string remedy)
    {
        var old = oldSets.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var current = newSets.ToArray();

        // A closed port's drop is a rule of its own, which element commands cannot add or remove.
        (string What, string[] Names)[] changes =
        [
            ("new sets", current.Where(s => !old.ContainsKey(s.Name)).Select(s => s.Name).ToArray()),
            ("sets no longer needed", old.Keys.Except(current.Select(s => s.Name), StringComparer.Ordinal).ToArray()),
            ("action changed for", current.Where(s => old.TryGetValue(s.Name, out var was) && was.Rule.Action != s.Rule.Action).Select(s => s.Name).ToArray()),
            ("closed or reopened", before.ClosedPorts.Concat(after.ClosedPorts).Except(before.ClosedPorts.Intersect(after.ClosedPorts))
                .Select(c => $"{c.Direction.Keyword()} {c.Port}").ToArray()),
        ];
        string[] found = changes.Where(c => c.Names.Length > 0).Select(c => $"{c.What} {string.Join(", ", c.Names)}").ToArray();
        if (found.Length > 0)
        {
            throw new RuleGenerationException($"the rules changed shape ({string.Join("; ", found)}): an update can only change set elements; {remedy}");
        }

        return [.. current.Select(s => new SetChange(s.Name, old[s.Name].Prefixes, s.Prefixes))];
    }

    // A set holds one family, so one of the two counts is zero.
    private static UInt128 AddressCount(PrefixSet prefixes) => prefixes.IPv4AddressCount + prefixes.IPv6AddressCount;
}
