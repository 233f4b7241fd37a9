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
        foreach (IpsetSet set in Sets(prepared))
        {
            WriteSet(sets, set);
        }

        return sets.ToString();
    }

    /// <summary>The sets <paramref name="prepared"/> needs, one per rule and family with prefixes, in output order.</summary>
    internal IEnumerable<IpsetSet> Sets(RuleSet prepared) =>
        from rule in prepared.Rules
        from family in NetfilterText.SingleFamilies
        let prefixes = NetfilterText.OfFamily(rule.Prefixes, family)
        where !prefixes.IsEmpty
        select Describe(rule, family, prefixes);

    /// <summary>
    /// Fills the set's temporary twin with its prefixes (created if missing, emptied first in case an earlier run stopped
    /// half way): everything before the swap, which the live set never sees.
    /// </summary>
    internal static void WriteFill(TextWriter output, IpsetSet set)
    {
        output.Write($"create {set.Temporary} {set.Type} -exist\n");
        output.Write($"flush {set.Temporary}\n");
        // A rule never holds a /0 (FirewallRule refuses it), which hash:net could not store anyway.
        foreach (IPNetwork prefix in set.Prefixes)
        {
            output.Write($"add {set.Temporary} {prefix}\n");
        }
    }

    private void WriteSet(TextWriter output, IpsetSet set)
    {
        if (_options.Comments)
        {
            NetfilterText.WriteComment(output, $"{set.Name}: {set.Description}, {NetfilterText.PrefixCount(set.Prefixes.Count)}");
        }

        output.Write($"create {set.Name} {set.Type} -exist\n");
        WriteFill(output, set);
        output.Write($"swap {set.Temporary} {set.Name}\n");
        output.Write($"destroy {set.Temporary}\n");
    }

    private IpsetSet Describe(FirewallRule rule, AddressFamilies family, PrefixSet prefixes)
    {
        string set = IptablesNames.Set(_options, rule, family);
        uint count = (uint)prefixes.Count;
        uint hashSize = Math.Max(MinHashSize, BitOperations.RoundUpToPowerOf2(count));
        uint maxElem = Math.Max(DefaultMaxElem, BitOperations.RoundUpToPowerOf2(count));
        string type = string.Create(CultureInfo.InvariantCulture,
            $"hash:net family {(family == AddressFamilies.IPv4 ? "inet" : "inet6")} hashsize {hashSize} maxelem {maxElem}");
        return new IpsetSet(set, IptablesNames.TemporarySet(set), type, prefixes, rule.Description);
    }
}
