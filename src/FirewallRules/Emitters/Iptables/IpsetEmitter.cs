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
/// <para><see cref="WriteUpdate"/> writes the <c>add</c>/<c>del</c> commands from one rule set to the next instead,
/// after lines that check the sets and change nothing.</para>
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
        if (_options.Comments)
        {
            NetfilterText.WriteHeader(output, $"{_options.Name}: Datadog ranges as ipset sets (hash:net), for iptables and ip6tables rules to match.", prepared,
            [
                "Apply with: ipset restore < FILE   (before the iptables-ipset and ip6tables-ipset rules that match these sets)",
                "Each set is filled under a temporary name and swapped in, so rules never see it half loaded; safe to run again.",
            ]);
        }

        new IpsetRestoreSets(_options).Write(prepared, output);
    }

    /// <summary>
    /// Writes the <c>ipset restore</c> commands that turn the sets loaded from <paramref name="previous"/> into those of
    /// <paramref name="current"/>: first lines that only check, then per set <c>add</c> of the new prefixes and
    /// <c>del</c> of those that left, each with <c>-exist</c>.
    /// </summary>
    /// <remarks>
    /// <para>The sets must hold what the full output of <paramref name="previous"/> loaded, with the same options.
    /// <c>ipset restore</c> is not a transaction: it stops at the first failing line and keeps what came before. So the
    /// update starts with lines that change nothing in those sets and fail when a set differs: <c>swap</c> of each set
    /// with itself (the set is missing), <c>create -exist</c> with the parameters the full output created it with (the
    /// type, <c>maxelem</c> or extensions differ), and <c>add -exist</c> of a prefix both versions list (the set is of
    /// the other family). What those lines cannot check is refused here instead.</para>
    /// <para>Adds come before deletes, so an address both versions list is matched throughout (<c>hash:net</c> keeps
    /// overlapping entries). With <c>-exist</c> a second run changes nothing. Elements are compared as written
    /// (aggregated prefixes): a prefix that was split or merged is added in its new form and deleted in its old.</para>
    /// <para>A set changed by hand is not detected beyond the checks: <c>-exist</c> skips an element already there or
    /// already gone. When in doubt, load the full output, which replaces each set whole.</para>
    /// </remarks>
    /// <exception cref="RuleGenerationException">
    /// Either rule set is empty in the chosen families; their shape differs (a set, direction, port, action or closed
    /// port appears or disappears); a set name is too long; or a set changes in a way no line can check first (none of
    /// its prefixes stays as it is, it needs another <c>maxelem</c>, or it would exceed its <c>maxelem</c> while adding
    /// before deleting). Apply the full output then.
    /// </exception>
    public void WriteUpdate(RuleSet previous, RuleSet current, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(output);
        new IpsetUpdateWriter(_options).Write(previous, current, output);
    }
}
