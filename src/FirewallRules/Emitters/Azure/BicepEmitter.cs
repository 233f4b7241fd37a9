using FirewallRules.Rules;

namespace FirewallRules.Emitters.Azure;

/// <summary>
/// Format <c>bicep</c>: a Bicep file declaring one network security group with the Datadog rules inline and, for
/// egress, the deny that makes them an allow-list (and a deny per closed port: see <see cref="AzureNsgOptions.DenyPriority"/>).
/// It compiles to the same resource as <see cref="AzureArmEmitter"/>.
/// </summary>
/// <remarks>
/// Deploying sets the NSG's whole rule list. Parameters: <c>networkSecurityGroupName</c> and <c>location</c>, as in
/// the ARM template. Strings are escaped for Bicep (<c>\'</c>, <c>\\</c>, <c>\${</c>); comments are single lines.
/// </remarks>
public sealed class BicepEmitter : IRuleEmitter
{
    private readonly AzureNsgOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="AzureNsgOptions"/> defaults when null.</param>
    public BicepEmitter(AzureNsgOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "bicep";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "Bicep: a network security group with the rules and the egress deny";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">The rules would not fit an NSG's priorities, rules or addresses.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        BicepTemplateWriter.Write(NsgResource.Template(NsgPlan.Create(rules, _options), _options, Format), output);
    }
}
