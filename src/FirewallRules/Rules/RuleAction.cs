namespace FirewallRules.Rules;

/// <summary>What a rule does with matching traffic.</summary>
public enum RuleAction
{
    /// <summary>Let the traffic through (an allow-list entry).</summary>
    Allow,

    /// <summary>Drop the traffic.</summary>
    Deny,
}
