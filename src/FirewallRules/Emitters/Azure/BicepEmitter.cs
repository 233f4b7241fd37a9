using FirewallRules.Emitters.Cloud;
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
        NsgPlan plan = NsgPlan.Create(rules, _options);
        if (_options.Comments)
        {
            var header = new List<string> { "Datadog IP ranges as an Azure network security group (fwrules format bicep)." };
            header.AddRange(plan.Rules.Describe());
            header.Add("Deploying sets the NSG's whole rule list: rules added to it by other means are removed.");
            header.AddRange(plan.Notes);
            CommentText.Write(output, "//", header);
            output.Write('\n');
        }

        output.Write($$"""
            @description('The network security group to create, or whose rules to replace.')
            param networkSecurityGroupName string = {{BicepString.Quote(_options.NetworkSecurityGroup ?? _options.Name)}}

            @description('Where to create it: the resource group\'s location by default.')
            param location string = resourceGroup().location

            resource networkSecurityGroup '{{NsgResource.Type}}@{{NsgResource.ApiVersion}}' = {
              name: networkSecurityGroupName
              location: location
              properties: {
                securityRules: [

            """);
        foreach (NsgRule rule in plan.SecurityRules)
        {
            output.Write("      {\n");
            output.Write($"        name: {BicepString.Quote(rule.Name)}\n");
            output.Write("        properties: {\n");
            foreach (NsgProperty property in rule.Properties(_options.Comments))
            {
                WriteProperty(output, property);
            }

            output.Write("        }\n");
            output.Write("      }\n");
        }

        output.Write("""
                ]
              }
            }

            output networkSecurityGroupId string = networkSecurityGroup.id

            """);
    }

    private static void WriteProperty(TextWriter output, NsgProperty property)
    {
        const string Indent = "          ";
        if (property.Number is int number)
        {
            output.Write($"{Indent}{property.Key}: {number}\n");
        }
        else if (property.List is IReadOnlyList<string> list)
        {
            output.Write($"{Indent}{property.Key}: [\n");
            foreach (string item in list)
            {
                output.Write($"{Indent}  {BicepString.Quote(item)}\n");
            }

            output.Write($"{Indent}]\n");
        }
        else
        {
            output.Write($"{Indent}{property.Key}: {BicepString.Quote(property.Text!)}\n");
        }
    }
}
