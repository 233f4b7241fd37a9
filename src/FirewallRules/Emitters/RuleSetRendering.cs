using FirewallRules.Emitters;
using FirewallRules.Rules;

// Same namespace as RuleSet: one using gives users the rules and every way to render them.
namespace FirewallRules;

/// <summary>Renders rule sets with any emitter, built-in or your own.</summary>
public static class RuleSetRendering
{
    /// <summary>The rules rendered by <paramref name="emitter"/>, as text.</summary>
    /// <exception cref="RuleGenerationException">The emitter refused the rules.</exception>
    public static string Render(this RuleSet rules, IRuleEmitter emitter)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        rules.Render(emitter, writer);
        return writer.ToString();
    }

    /// <summary>Writes the rules rendered by <paramref name="emitter"/> to <paramref name="output"/>.</summary>
    /// <exception cref="RuleGenerationException">The emitter refused the rules; nothing useful was written.</exception>
    public static void Render(this RuleSet rules, IRuleEmitter emitter, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(emitter);
        ArgumentNullException.ThrowIfNull(output);
        emitter.Write(rules, output);
    }
}
