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
        string sets = new IpsetRestoreSets(_options).Write(prepared);
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
}
