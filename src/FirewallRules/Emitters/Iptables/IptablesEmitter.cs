using FirewallRules.Emitters.Netfilter;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Iptables;

/// <summary>
/// An <c>iptables-restore --noflush</c> (or <c>ip6tables-restore</c>) file for the filter table: one chain
/// per direction that the file owns (<c>{Name}-egress</c>, <c>{Name}-ingress</c>), declared so that the
/// restore flushes and refills it in one commit, and nothing else in the table touched.
/// </summary>
/// <remarks>
/// <para>Each rule is <c>-A CHAIN -d PREFIX -p tcp -m tcp --dport 443 -m comment --comment "..." -j ACCEPT</c>
/// (<c>-s</c> for ingress), written exactly as <c>iptables-save</c> prints it back; with
/// <see cref="IptablesEmitterOptions.UseIpset"/> one rule per port matches the set instead
/// (<c>-m set --match-set NAME dst</c>, <c>src</c> for ingress). Traffic that matches no rule falls off the
/// end of the chain and returns to the caller and its policy.</para>
/// <para>A port that a rule closes (<see cref="FirewallRule.ClosesPort"/>) gets
/// <c>-A CHAIN -p udp -m udp --dport 8125 -j DROP</c> after the rules that allow it: the chain is jumped to for
/// all traffic, so the drop matches nothing but that protocol and port (see <see cref="PortClosing"/>).</para>
/// <para>The jump into each chain is not in the file (a restore cannot test for it); the header gives the
/// idempotent command, and <see cref="IptablesScriptEmitter"/> runs it.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class IptablesEmitter : IRuleEmitter
{
    private readonly AddressFamilies _family;
    private readonly IptablesEmitterOptions _options;

    /// <summary>Creates the emitter for one address family.</summary>
    /// <param name="family"><see cref="AddressFamilies.IPv4"/> for iptables or <see cref="AddressFamilies.IPv6"/> for ip6tables.</param>
    /// <param name="options">Names, comments, ipset mode; the defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="family"/> is not exactly one family.</exception>
    /// <exception cref="RuleGenerationException">The options ask for the other family only: the message names the format for it.</exception>
    public IptablesEmitter(AddressFamilies family, IptablesEmitterOptions? options = null)
    {
        if (family is not (AddressFamilies.IPv4 or AddressFamilies.IPv6))
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "iptables files hold one family: IPv4 (iptables) or IPv6 (ip6tables)");
        }

        _family = family;
        _options = options ?? new IptablesEmitterOptions();
        if (!_options.Families.HasFlag(family))
        {
            throw new RuleGenerationException(
                $"{Format} renders {FamilyName} only, but the options ask for {_options.Families.Label()} only: use {IptablesNames.Command(_options.Families)}");
        }
    }

    /// <summary><c>iptables</c>, <c>ip6tables</c>, <c>iptables-ipset</c> or <c>ip6tables-ipset</c>.</summary>
    public string Format => IptablesNames.Command(_family) + (_options.UseIpset ? "-ipset" : string.Empty);

    /// <inheritdoc/>
    public AddressFamilies Families => _family;

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => _options.UseIpset
        ? $"{Command}-restore --noflush file ({FamilyName}) matching the ipset format's sets (load those first): {Command}-restore -w --noflush < FILE, then the jump in its header"
        : $"{Command}-restore --noflush file ({FamilyName}), one rule per prefix in chains it owns: {Command}-restore -w --noflush < FILE, then the jump in its header";

    private string Command => IptablesNames.Command(_family);

    private string FamilyName => _family.Label();

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">(ipset mode) A set name would be too long.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        RuleSet prepared = rules.Rules;
        if (_options.UseIpset)
        {
            IptablesNames.RequireSetsFit(_options, prepared);
        }

        if (_options.Comments)
        {
            NetfilterText.WriteHeader(output, Title(prepared), prepared, Usage(prepared));
        }

        new IptablesRestoreTable(_options, _family).Write(prepared, output);
    }

    private string Title(RuleSet prepared)
    {
        string directions = string.Join(" and ", prepared.Directions.Select(d => d.Keyword()));
        return $"{_options.Name}: Datadog {directions} rules for {Command}-restore ({FamilyName}, filter table{(_options.UseIpset ? ", matching ipsets" : string.Empty)}).";
    }

    private IEnumerable<string> Usage(RuleSet prepared)
    {
        if (_options.UseIpset)
        {
            yield return "Load the sets first (the ipset output: ipset restore < SETS); the restore fails, changing nothing, while one is missing.";
        }

        yield return $"Apply atomically with: {Command}-restore -w --noflush < FILE   (dry run: {Command}-restore -w --test --noflush < FILE)";
        yield return "It flushes and refills only the chains declared below, in one commit; the rest of the table is kept.";
        yield return "Then jump to each chain, once (safe to repeat: it inserts the jump only when missing):";
        foreach (Direction direction in prepared.Directions)
        {
            yield return "  " + IptablesNames.JumpCommand(_options, direction, _family);
        }

        foreach (string closed in PortClosing.Summary(prepared))
        {
            yield return closed;
        }

        yield return "Traffic that matches no rule returns to the calling chain and its policy.";
        yield return "iptables-nft and iptables-legacy keep separate rules: apply and inspect with the same one.";
    }
}
