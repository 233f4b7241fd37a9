namespace FirewallRules.Emitters;

/// <summary>What a format's incremental update (<see cref="FormatDescription.Update"/>) is written from.</summary>
/// <param name="Current">The rules of the newer document.</param>
/// <param name="Previous">The rules of the older document, which the kernel (or the target) holds now.</param>
/// <param name="Options">The emitter's options, as its factory made them.</param>
/// <param name="Output">Where the update is written.</param>
internal readonly record struct UpdateArguments(RuleSet Current, RuleSet Previous, EmitterOptions Options, TextWriter Output);
