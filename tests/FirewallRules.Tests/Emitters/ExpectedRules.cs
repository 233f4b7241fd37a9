using FirewallRules.Emitters;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// The reference for what an output must hold, built from the rule model's public operations: the rules narrowed
/// to the options' families, then summarised to their prefix budget.
/// </summary>
internal static class ExpectedRules
{
    public static RuleSet For(RuleSet rules, EmitterOptions options)
    {
        RuleSet narrowed = rules.ForFamilies(options.Families);
        return options.MaxPrefixesPerRule is int budget ? narrowed.WithPrefixBudget(budget) : narrowed;
    }
}
