using FirewallRules.Emitters;
using FirewallRules.Rules;

// Same namespace as RuleSet: one using gives users the rules and every way to render them.
namespace FirewallRules;

/// <summary>Renders rule sets with any emitter, built-in or your own: the render step.</summary>
/// <remarks>
/// Rendering prepares the rules once (<see cref="PreparedRules"/>: narrowed to the families the emitter renders,
/// summarised to its options' prefix budget), hands them to <see cref="IRuleEmitter.Write"/>, and returns what it
/// rendered, so callers report counts without preparing again.
/// </remarks>
public static class RuleSetRendering
{
    /// <summary>The rules rendered by <paramref name="emitter"/>, as text.</summary>
    /// <exception cref="RuleGenerationException">The rules cannot be prepared for the emitter, or the emitter refused them.</exception>
    public static string Render(this RuleSet rules, IRuleEmitter emitter)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        rules.Render(emitter, writer);
        return writer.ToString();
    }

    /// <summary>Writes the rules rendered by <paramref name="emitter"/> to <paramref name="output"/>.</summary>
    /// <returns>
    /// The rules the output holds: narrowed to the families rendered and within the prefix budget, with what the budget
    /// cost in <see cref="RuleSet.ExtraIPv4Addresses"/> and <see cref="RuleSet.ExtraIPv6Addresses"/>.
    /// </returns>
    /// <exception cref="RuleGenerationException">
    /// The rules cannot be prepared for the emitter, or the emitter refused them; nothing was written.
    /// </exception>
    public static RuleSet Render(this RuleSet rules, IRuleEmitter emitter, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(emitter);
        ArgumentNullException.ThrowIfNull(output);
        PreparedRules prepared = PreparedRules.For(rules, emitter);
        emitter.Write(prepared, output);
        return prepared.Rules;
    }
}
