namespace FirewallRules.Emitters.Azure;

/// <summary>A string output of an Azure template.</summary>
internal sealed record TemplateOutput(string Name, TemplateValue.Expression Value);
