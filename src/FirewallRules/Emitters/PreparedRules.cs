using FirewallRules.Rules;

namespace FirewallRules.Emitters;

/// <summary>
/// What the render step hands an emitter (<see cref="IRuleEmitter.Write"/>): the rules narrowed to the families
/// the emitter renders, each rule summarised to <see cref="EmitterOptions.MaxPrefixesPerRule"/>. Only the render
/// step makes it (<see cref="RuleSetRendering.Render(RuleSet, IRuleEmitter, TextWriter)"/>), so an emitter never
/// sees rules that were not prepared, and never prepares them again.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class PreparedRules
{
    private PreparedRules(RuleSet rules, AddressFamilies families)
    {
        Rules = rules;
        Families = families;
    }

    /// <summary>The rules to render: prefixes of <see cref="Families"/> only, within the prefix budget.</summary>
    /// <remarks>
    /// Their <see cref="RuleSet.ExtraIPv4Addresses"/> and <see cref="RuleSet.ExtraIPv6Addresses"/> say what the
    /// budget cost, and <see cref="RuleSet.Describe"/> is the provenance every output's header states.
    /// </remarks>
    public RuleSet Rules { get; }

    /// <summary>
    /// The families the output is for: those of <see cref="EmitterOptions.Families"/> that the format holds
    /// (<see cref="IRuleEmitter.Families"/>). Never empty; <see cref="Rules"/> may lack one of them when the
    /// sections list no prefix of it.
    /// </summary>
    public AddressFamilies Families { get; }

    /// <summary>
    /// The one place rules are prepared for a target: narrowed to the families the options ask for and the format
    /// holds, then summarised to the options' prefix budget.
    /// </summary>
    /// <param name="rules">The rules as the caller built them.</param>
    /// <param name="options">The families and the budget.</param>
    /// <param name="formatFamilies">The families the format can hold.</param>
    /// <param name="format">The format's name, for the message when no family is left.</param>
    /// <exception cref="RuleGenerationException">
    /// The options ask only for a family the format does not hold, or the rules list no prefix of the families asked for,
    /// or a rule cannot meet the budget.
    /// </exception>
    internal static PreparedRules Create(RuleSet rules, EmitterOptions options, AddressFamilies formatFamilies, string format)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(options);
        AddressFamilies families = options.Families & formatFamilies;
        if (families == 0)
        {
            throw new RuleGenerationException(
                $"{format} renders {formatFamilies.Label()} only, but the options ask for {options.Families.Label()} only");
        }

        RuleSet narrowed = rules.ForFamilies(families);
        return new PreparedRules(options.MaxPrefixesPerRule is int budget ? narrowed.WithPrefixBudget(budget) : narrowed, families);
    }

    /// <summary>The rules prepared for <paramref name="emitter"/>, with its options and the families its format holds.</summary>
    /// <inheritdoc cref="Create(RuleSet, EmitterOptions, AddressFamilies, string)"/>
    /// <exception cref="RuleGenerationException">Also: no rule is left and the emitter allows addresses (the rules hold host names only).</exception>
    internal static PreparedRules For(RuleSet rules, IRuleEmitter emitter)
    {
        PreparedRules prepared = Create(rules, emitter.Options, emitter.Families, emitter.Format);
        string held = rules.Rules.Count == 0 ? "host names only" : $"no {prepared.Families.Label()} prefix";
        return prepared.Rules.Rules.Count > 0 || emitter is IByNameEmitter
            ? prepared
            : throw new RuleGenerationException($"{emitter.Format} allows addresses, and these rules hold {held}: refusing to build an allow-list of nothing");
    }
}
