using FirewallRules.Rules;

namespace FirewallRules.Emitters;

/// <summary>
/// Writes one private connectivity plan (<typeparamref name="TPlan"/>) in one format, from its cloud's folder: the
/// render step (<see cref="PrivateLinkRendering"/>) prepares the plan's rules with <see cref="Options"/> for
/// <see cref="Format"/>, then <see cref="Write"/> plans what can refuse and writes, as an emitter does.
/// </summary>
/// <typeparam name="TPlan">The plan: AWS PrivateLink, Azure Private Link or Private Service Connect.</typeparam>
internal interface IPlanWriter<in TPlan>
{
    /// <summary>The format's name, as the output's header states it.</summary>
    string Format { get; }

    /// <summary>The names, comments and platform settings the output uses, and the prefix budget its rules are prepared with.</summary>
    EmitterOptions Options { get; }

    /// <summary>The rules of <paramref name="plan"/> the output holds.</summary>
    RuleSet RulesOf(TPlan plan);

    /// <summary>Writes the plan with its prepared rules; refuses (<see cref="RuleGenerationException"/>) before the first character.</summary>
    void Write(TPlan plan, PreparedRules rules, TextWriter output);
}
