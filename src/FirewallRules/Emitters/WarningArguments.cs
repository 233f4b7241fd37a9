namespace FirewallRules.Emitters;

/// <summary>What a format's warning (<see cref="FormatDescription.Warning"/>) is decided from.</summary>
/// <param name="Options">The emitter's options, as its factory made them.</param>
/// <param name="Rendered">The rules the output holds, as the render step prepared them.</param>
internal readonly record struct WarningArguments(EmitterOptions Options, RuleSet Rendered);
