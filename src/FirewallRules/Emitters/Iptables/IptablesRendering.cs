using FirewallRules.Emitters.Iptables;
using FirewallRules.Rules;

// Same namespace as RuleSet: RuleSet.For(Section.Logs).ToIptables() needs one using.
namespace FirewallRules;

/// <summary>Renders rule sets for iptables, ip6tables and ipset.</summary>
public static class IptablesRendering
{
    /// <summary>The IPv4 rules as an <c>iptables-restore --noflush</c> file (see <see cref="IptablesEmitter"/>).</summary>
    /// <exception cref="RuleGenerationException">The rules hold no IPv4 prefix, or cannot be rendered within iptables' limits.</exception>
    public static string ToIptables(this RuleSet rules, IptablesEmitterOptions? options = null) =>
        rules.Render(new IptablesEmitter(AddressFamilies.IPv4, options));

    /// <summary>The IPv6 rules as an <c>ip6tables-restore --noflush</c> file (see <see cref="IptablesEmitter"/>).</summary>
    /// <exception cref="RuleGenerationException">The rules hold no IPv6 prefix, or cannot be rendered within ip6tables' limits.</exception>
    public static string ToIp6tables(this RuleSet rules, IptablesEmitterOptions? options = null) =>
        rules.Render(new IptablesEmitter(AddressFamilies.IPv6, options));

    /// <summary>The prefixes as an <c>ipset restore</c> file, for rules rendered with <see cref="IptablesEmitterOptions.UseIpset"/> (see <see cref="IpsetEmitter"/>).</summary>
    /// <exception cref="RuleGenerationException">Nothing is left in the chosen families, or a set name would be longer than 31 characters.</exception>
    public static string ToIpset(this RuleSet rules, IptablesEmitterOptions? options = null) =>
        rules.Render(new IpsetEmitter(options));

    /// <summary>
    /// The <c>ipset restore</c> commands that change the sets loaded from <paramref name="previous"/>'s ipset output into
    /// those of <paramref name="rules"/>: checks that change nothing, the version check, then each changed set filled
    /// whole under a temporary name and swapped in (see <see cref="IpsetEmitter.WriteUpdate"/>).
    /// </summary>
    /// <exception cref="RuleGenerationException">
    /// Either rule set is empty in the chosen families, the two differ in shape (sets, ports, directions, actions, closed
    /// ports), or a set changes in a way the update cannot check before its first change: apply the full output then.
    /// </exception>
    public static string ToIpsetUpdate(this RuleSet rules, RuleSet previous, IptablesEmitterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(previous);
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        IpsetUpdateWriter.Render(previous, rules, options, writer);
        return writer.ToString();
    }

    /// <summary>
    /// A shell script applying the sets (with <see cref="IptablesEmitterOptions.UseIpset"/>), both families' chains and the jumps
    /// (see <see cref="IptablesScriptEmitter"/>).
    /// </summary>
    /// <exception cref="RuleGenerationException">Nothing is left in the chosen families, or a name would be too long.</exception>
    public static string ToIptablesScript(this RuleSet rules, IptablesEmitterOptions? options = null) =>
        rules.Render(new IptablesScriptEmitter(options));
}
