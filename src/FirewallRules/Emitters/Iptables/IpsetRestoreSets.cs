using System.Globalization;
using System.Numerics;
using FirewallRules.Emitters.Netfilter;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Iptables;

/// <summary>
/// The commands of an <c>ipset restore</c> file: per rule and family, the live set created if missing, the new list
/// loaded into its temporary twin, the two swapped and the twin destroyed. Written by the ipset format and embedded
/// by the script format.
/// </summary>
/// <param name="options">Names and comments.</param>
internal sealed class IpsetRestoreSets(IptablesEmitterOptions options)
{
    private const int MinHashSize = 64;
    private const int DefaultMaxElem = 65536;

    /// <summary>
    /// Writes the restore commands without a header, as they are produced. Nothing here refuses: the set names are
    /// checked before (<see cref="IptablesNames.RequireSetsFit"/>).
    /// </summary>
    public void Write(RuleSet prepared, TextWriter output)
    {
        foreach (IpsetSet set in Sets(prepared))
        {
            WriteSet(output, set);
        }
    }

    /// <summary>The sets <paramref name="prepared"/> needs, one per rule and family with prefixes, in output order.</summary>
    public IEnumerable<IpsetSet> Sets(RuleSet prepared) =>
        from rule in prepared.Rules
        from family in NetfilterText.SingleFamilies
        let prefixes = NetfilterText.OfFamily(rule.Prefixes, family)
        where !prefixes.IsEmpty
        select Describe(rule, family, prefixes);

    /// <summary>
    /// Fills the set's temporary twin with its prefixes (created if missing, emptied first in case an earlier run stopped
    /// half way): everything before the swap, which the live set never sees.
    /// </summary>
    public static void WriteFill(TextWriter output, IpsetSet set)
    {
        output.Write($"create {set.Temporary} {set.Type} -exist\n");
        output.Write($"flush {set.Temporary}\n");
        // A rule never holds a /0 (FirewallRule refuses it), which hash:net could not store anyway.
        set.Prefixes.WriteLines(output, $"add {set.Temporary} ", "\n");
    }

    private void WriteSet(TextWriter output, IpsetSet set)
    {
        if (options.Comments)
        {
            NetfilterText.WriteComment(output, $"{set.Name}: {set.Rule.Description}, {NetfilterText.PrefixCount(set.Prefixes.Count)}");
        }

        output.Write($"create {set.Name} {set.Type} -exist\n");
        WriteFill(output, set);
        output.Write($"swap {set.Temporary} {set.Name}\n");
        output.Write($"destroy {set.Temporary}\n");
    }

    private IpsetSet Describe(FirewallRule rule, AddressFamilies family, PrefixSet prefixes)
    {
        string set = IptablesNames.Set(options, rule, family);
        uint count = (uint)prefixes.Count;
        uint hashSize = Math.Max(MinHashSize, BitOperations.RoundUpToPowerOf2(count));
        uint maxElem = Math.Max(DefaultMaxElem, BitOperations.RoundUpToPowerOf2(count));
        string type = string.Create(CultureInfo.InvariantCulture,
            $"hash:net family {(family == AddressFamilies.IPv4 ? "inet" : "inet6")} hashsize {hashSize} maxelem {maxElem}");
        return new IpsetSet(set, IptablesNames.TemporarySet(set), type, maxElem, rule, prefixes);
    }
}
