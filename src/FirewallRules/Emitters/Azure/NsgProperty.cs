namespace FirewallRules.Emitters.Azure;

/// <summary>One property of a security rule: a string, a number or a list of strings.</summary>
internal sealed record NsgProperty(string Key, string? Text = null, int? Number = null, IReadOnlyList<string>? List = null);
