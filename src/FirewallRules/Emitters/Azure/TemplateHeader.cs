namespace FirewallRules.Emitters.Azure;

/// <summary>What an Azure template says about itself: ARM's <c>metadata</c>, Bicep's leading comments.</summary>
/// <param name="Description">One sentence: what the template is.</param>
/// <param name="Provenance">Where the rules come from (<c>RuleSet.Describe()</c>).</param>
/// <param name="Notes">What deploying it does beyond the resources, and what is left to do.</param>
internal sealed record TemplateHeader(string Description, IReadOnlyList<string> Provenance, IReadOnlyList<string> Notes);
