using System.Globalization;
using System.Net;
using System.Numerics;
using FirewallRules.Emitters.Netfilter;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Iptables;

/// <summary>
/// An <c>ipset restore</c> file with one <c>hash:net</c> set per rule and family (named as in
/// <see cref="IptablesEmitterOptions"/>, e.g. <c>datadog-e443-tcp4</c>), for the rules of the
/// <c>iptables-ipset</c> and <c>ip6tables-ipset</c> formats to match.
/// </summary>
/// <remarks>
/// <para>Each set is loaded atomically and idempotently: the live set is created only if missing
/// (<c>create -exist</c>), the new list goes into a temporary twin (<c>{set}-tmp</c>, emptied first in case
/// an earlier run stopped half way), the two are swapped, and the twin, now holding the old list, is
/// destroyed. Rules referencing the live name never see a half-filled set.</para>
/// <para><c>hashsize</c> is the next power of two at or above the entry count (at least 64); <c>maxelem</c>
/// stays at ipset's default 65536 unless more entries need more, because <c>create -exist</c> accepts an
/// existing set only when <c>maxelem</c> matches.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class IpsetEmitter : IRuleEmitter
{
    private const int MinHashSize = 64;
    private const int DefaultMaxElem = 65536;

    private readonly IptablesEmitterOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">Names, comments and families; the defaults when null (<see cref="IptablesEmitterOptions.UseIpset"/> does not matter here).</param>
    public IpsetEmitter(IptablesEmitterOptions? options = null) => _options = options ?? new IptablesEmitterOptions();

    /// <summary><c>ipset</c>.</summary>
    public string Format => "ipset";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description =>
        "ipset restore file, one hash:net set per rule and family, loaded then swapped in: ipset restore < FILE, before the iptables-ipset/ip6tables-ipset rules";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">A set name would be longer than 31 characters.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        RuleSet prepared = rules.Rules;
        IptablesNames.RequireSetsFit(_options, prepared);
        string sets = WriteSets(prepared);
        if (_options.Comments)
        {
            NetfilterText.WriteHeader(output, $"{_options.Name}: Datadog ranges as ipset sets (hash:net), for iptables and ip6tables rules to match.", prepared,
            [
                "Apply with: ipset restore < FILE   (before the iptables-ipset and ip6tables-ipset rules that match these sets)",
                "Each set is filled under a temporary name and swapped in, so rules never see it half loaded; safe to run again.",
            ]);
        }

        output.Write(sets);
    }

    /// <summary>The restore commands without the header; rendered whole before anything is written.</summary>
    internal string WriteSets(RuleSet prepared)
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
        string set = IptablesNames.Set(_options, rule, family);
        string temporary = IptablesNames.TemporarySet(set);
        uint count = (uint)prefixes.Count;
        uint hashSize = Math.Max(MinHashSize, BitOperations.RoundUpToPowerOf2(count));
        uint maxElem = Math.Max(DefaultMaxElem, BitOperations.RoundUpToPowerOf2(count));
        string type = string.Create(CultureInfo.InvariantCulture,
            $"hash:net family {(family == AddressFamilies.IPv4 ? "inet" : "inet6")} hashsize {hashSize} maxelem {maxElem}");
        if (_options.Comments)
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
