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

    /// <summary>
    /// The render step for what loads the rules piece by piece instead of as one text (the ipset sync backend): the rules
    /// prepared for <paramref name="emitter"/> exactly as <see cref="Render(RuleSet, IRuleEmitter, TextWriter)"/> prepares
    /// them, handed to <paramref name="plan"/>.
    /// </summary>
    /// <exception cref="RuleGenerationException">The rules cannot be prepared for the emitter, or <paramref name="plan"/> refused them.</exception>
    internal static T Render<T>(this RuleSet rules, IRuleEmitter emitter, Func<PreparedRules, T> plan) => plan(PreparedRules.For(rules, emitter));

    /// <summary>
    /// The render step of an incremental update: both rule sets prepared for <paramref name="emitter"/> as the full
    /// output prepares them (same families, same prefix budget), handed to <paramref name="write"/> (previous, current).
    /// </summary>
    /// <returns>The current rules as prepared: what the sets hold once the update is applied.</returns>
    /// <exception cref="RuleGenerationException">Either rule set cannot be prepared, or <paramref name="write"/> refused the change; nothing was written.</exception>
    internal static RuleSet RenderUpdate(this RuleSet rules, RuleSet previous, IRuleEmitter emitter, Action<PreparedRules, PreparedRules> write)
    {
        PreparedRules before = PreparedRules.For(previous, emitter), after = PreparedRules.For(rules, emitter);
        write(before, after);
        return after.Rules;
    }
}
