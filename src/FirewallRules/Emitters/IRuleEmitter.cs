using FirewallRules.Rules;

namespace FirewallRules.Emitters;

/// <summary>
/// Renders a <see cref="RuleSet"/> for one platform. Implement it to add a target of your own and
/// register it with <see cref="EmitterRegistry.With"/>; <see cref="RuleSetRendering.Render(RuleSet, IRuleEmitter)"/> uses it.
/// </summary>
/// <remarks>
/// An emitter reads only the rule model: it never fetches, and it never copies another emitter's text.
/// It must refuse (throw <see cref="RuleGenerationException"/>) rather than render an allow-list of nothing,
/// and must split rather than truncate when a platform limit is reached.
/// </remarks>
public interface IRuleEmitter
{
    /// <summary>The format name used on the command line, e.g. <c>nftables</c>.</summary>
    string Format { get; }

    /// <summary>One line saying what the output is and how to apply it.</summary>
    string Description { get; }

    /// <summary>The address families this emitter can render; a single-family format such as ip6tables narrows it.</summary>
    /// <value><see cref="AddressFamilies.Both"/> unless the emitter says otherwise.</value>
    AddressFamilies Families => AddressFamilies.Both;

    /// <summary>Writes the rules.</summary>
    /// <exception cref="RuleGenerationException">The rules cannot be rendered safely for this platform.</exception>
    void Write(RuleSet rules, TextWriter output);
}
