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
/// <para>A set <c>{name}-version</c> records the document version loaded; <see cref="WriteUpdate"/> writes the commands
/// from one version to the next instead, after lines that check the sets and that mark, changing nothing.</para>
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
                .. (prepared.Provenance.Version is null
                    ? Array.Empty<string>()
                    : [$"The set {IpsetVersionMark.Name(_options)} records the version loaded, which an incremental update checks first."]),
            ]);
        }

        new IpsetRestoreSets(_options).Write(prepared, output);
        IpsetVersionMark.WriteFull(output, _options, prepared);
    }

    /// <summary>
    /// Writes the <c>ipset restore</c> commands that turn the sets loaded from <paramref name="previous"/> into those of
    /// <paramref name="current"/>: first lines that only check, then each set that changes filled whole under its
    /// temporary name and swapped in, then the version mark moved.
    /// </summary>
    /// <remarks>
    /// <para>The sets must hold what the full output of <paramref name="previous"/> loaded (or of <paramref name="current"/>:
    /// applied again, the update succeeds and changes nothing), with the same options. <c>ipset restore</c> is not a
    /// transaction: it stops at the first failing line and keeps what came before. So the update starts with lines that
    /// change nothing and fail when the sets are not as expected: <c>swap</c> of each changed set with itself (the set is
    /// missing), <c>create -exist</c> with the parameters the full output created it with (the type, <c>maxelem</c> or
    /// extensions differ), <c>add -exist</c> of a prefix both versions list (the set is of the other family), and the
    /// version mark the full output leaves (<c>{name}-version</c>), which must hold the previous version or the current
    /// one. What those lines cannot check is refused here instead.</para>
    /// <para>Each changed set is then filled whole and swapped in, atomically per set, never holding a mix of versions.</para>
    /// </remarks>
    /// <exception cref="RuleGenerationException">
    /// Either rule set is empty in the chosen families or has no document version; their shape differs (a set, direction,
    /// port, action or closed port appears or disappears); a set name is too long; or a set changes in a way no line can
    /// check first (none of its prefixes stays as it is, or it needs another <c>maxelem</c>). Apply the full output then.
    /// </exception>
    public void WriteUpdate(RuleSet previous, RuleSet current, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(output);
        IpsetUpdateWriter.Render(previous, current, _options, output);
    }
}
