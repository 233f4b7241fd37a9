using System.Globalization;
using System.Net;
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

    /// <summary>The restore commands without a header; rendered whole before anything is written.</summary>
    public string Write(RuleSet prepared)
    {
        using var sets = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        foreach (FirewallRule rule in prepared.Rules)
        {
            foreach (AddressFamilies family in NetfilterText.SingleFamilies)
            {
                PrefixSet prefixes = NetfilterText.OfFamily(rule.Prefixes, family);
                if (!prefixes.IsEmpty)
                {
                    WriteSet(sets, rule, family, prefixes);
                }
            }
        }

        return sets.ToString();
    }

    private void WriteSet(TextWriter output, FirewallRule rule, AddressFamilies family, PrefixSet prefixes)
    {
        string set = IptablesNames.Set(options, rule, family);
        string temporary = IptablesNames.TemporarySet(set);
        uint count = (uint)prefixes.Count;
        uint hashSize = Math.Max(MinHashSize, BitOperations.RoundUpToPowerOf2(count));
        uint maxElem = Math.Max(DefaultMaxElem, BitOperations.RoundUpToPowerOf2(count));
        string type = string.Create(CultureInfo.InvariantCulture,
            $"hash:net family {(family == AddressFamilies.IPv4 ? "inet" : "inet6")} hashsize {hashSize} maxelem {maxElem}");
        if (options.Comments)
        {
            NetfilterText.WriteComment(output, $"{set}: {rule.Description}, {NetfilterText.PrefixCount(prefixes.Count)}");
        }

        output.Write($"create {set} {type} -exist\n");
        output.Write($"create {temporary} {type} -exist\n");
        output.Write($"flush {temporary}\n");
        // A rule never holds a /0 (FirewallRule refuses it), which hash:net could not store anyway.
        foreach (IPNetwork prefix in prefixes)
        {
            output.Write($"add {temporary} {prefix}\n");
        }

        output.Write($"swap {temporary} {set}\n");
        output.Write($"destroy {temporary}\n");
    }
}
