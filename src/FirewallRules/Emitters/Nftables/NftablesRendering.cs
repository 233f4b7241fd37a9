using FirewallRules.Emitters.Nftables;
using FirewallRules.Rules;

// Same namespace as RuleSet: RuleSet.For(Section.Logs).ToNftables() needs one using.
namespace FirewallRules;

/// <summary>Renders rule sets for nftables.</summary>
public static class NftablesRendering
{
    /// <summary>The rules as one <c>nft -f</c> transaction (see <see cref="NftablesEmitter"/> and <see cref="NftablesLayout"/>).</summary>
    /// <exception cref="RuleGenerationException">Nothing is left in the chosen families.</exception>
    public static string ToNftables(this RuleSet rules, NftablesEmitterOptions? options = null) =>
        rules.Render(new NftablesEmitter(options));

    /// <summary>
    /// The <c>nft -f</c> commands that change the sets loaded from <paramref name="previous"/> into those of
    /// <paramref name="rules"/>: each changed set flushed and refilled whole in one transaction
    /// (see <see cref="NftablesEmitter.WriteUpdate"/>).
    /// </summary>
    /// <exception cref="RuleGenerationException">
    /// Either rule set is empty in the chosen families, or the two differ in shape (sets, ports, directions, actions, closed ports).
    /// </exception>
    public static string ToNftablesUpdate(this RuleSet rules, RuleSet previous, NftablesEmitterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(previous);
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        NftablesUpdateWriter.Render(previous, rules, options, writer);
        return writer.ToString();
    }
}
