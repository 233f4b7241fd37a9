using FirewallRules.Rules;

namespace FirewallRules.Emitters.Azure;

/// <summary>
/// Format <c>azure-arm</c>: an ARM template (JSON) of one <c>Microsoft.Network/networkSecurityGroups</c> resource
/// whose <c>securityRules</c> are the Datadog rules and, for egress, the deny that makes them an allow-list (and a deny
/// per closed port: see <see cref="AzureNsgOptions.DenyPriority"/>).
/// </summary>
/// <remarks>
/// <para>The rules are inline, so a deployment sets the NSG's whole rule list at once: rules added to the NSG by
/// other means are removed. Parameters: <c>networkSecurityGroupName</c> (default <see cref="AzureNsgOptions.NetworkSecurityGroup"/>
/// or <see cref="EmitterOptions.Name"/>) and <c>location</c> (default: the resource group's).</para>
/// <para>Every string that comes from data is written as an ARM literal (<c>[[</c> when it would read as an
/// expression); the only expressions are the template's own parameter references.</para>
/// </remarks>
public sealed class AzureArmEmitter : IRuleEmitter
{
    private readonly AzureNsgOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="AzureNsgOptions"/> defaults when null.</param>
    public AzureArmEmitter(AzureNsgOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "azure-arm";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "ARM template: a network security group with the rules and the egress deny";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">The rules would not fit an NSG's priorities, rules or addresses.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        output.Write(ArmTemplateWriter.Write(NsgResource.Template(NsgPlan.Create(rules, _options), _options, Format)));
    }
}
