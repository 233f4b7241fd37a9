using FirewallRules.Emitters.Azure;
using FirewallRules.Rules;

// Same namespace as RuleSet: one using gives users the rules and every way to render them.
namespace FirewallRules;

/// <summary>Renders rule sets as an Azure network security group: az CLI script, ARM template and Bicep.</summary>
public static class AzureRendering
{
    /// <summary>A bash script of <c>az network nsg rule create</c> calls (format <c>azure-nsg</c>; see <see cref="AzureCliEmitter"/>).</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">Names, priorities and the deny rule; <see cref="AzureNsgOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">Nothing is left to allow, or the rules would not fit an NSG's priorities, rules or addresses.</exception>
    public static string ToAzureCli(this RuleSet rules, AzureNsgOptions? options = null) => rules.Render(new AzureCliEmitter(options));

    /// <summary>An ARM template of the NSG (format <c>azure-arm</c>; see <see cref="AzureArmEmitter"/>).</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">Names, priorities and the deny rule; <see cref="AzureNsgOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">Nothing is left to allow, or the rules would not fit an NSG's priorities, rules or addresses.</exception>
    public static string ToAzureArm(this RuleSet rules, AzureNsgOptions? options = null) => rules.Render(new AzureArmEmitter(options));

    /// <summary>A Bicep file of the NSG (format <c>bicep</c>; see <see cref="BicepEmitter"/>).</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">Names, priorities and the deny rule; <see cref="AzureNsgOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">Nothing is left to allow, or the rules would not fit an NSG's priorities, rules or addresses.</exception>
    public static string ToBicep(this RuleSet rules, AzureNsgOptions? options = null) => rules.Render(new BicepEmitter(options));
}
