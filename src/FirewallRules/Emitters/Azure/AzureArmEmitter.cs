using System.Text.Json;
using FirewallRules.Emitters.Cloud;
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
    // A JSON property name, not this class's Description (CA1507).
    private static readonly JsonEncodedText DescriptionProperty = JsonEncodedText.Encode("description");

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
        NsgPlan plan = NsgPlan.Create(rules, _options);
        JsonText.Write(output, writer => WriteTemplate(writer, plan));
        output.Write('\n');
    }

    private void WriteTemplate(Utf8JsonWriter writer, NsgPlan plan)
    {
        writer.WriteStartObject();
        writer.WriteString("$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#");
        writer.WriteString("contentVersion", "1.0.0.0");
        if (_options.Comments)
        {
            writer.WriteStartObject("metadata");
            writer.WriteString(DescriptionProperty, "Datadog IP ranges as an Azure network security group (fwrules format azure-arm).");
            WriteLiterals(writer, "provenance", plan.Rules.Describe());
            WriteLiterals(writer, "notes", ["Deploying sets the NSG's whole rule list: rules added to it by other means are removed.", .. plan.Notes]);
            writer.WriteEndObject();
        }

        writer.WriteStartObject("parameters");
        WriteParameter(writer, "networkSecurityGroupName", ArmString.Literal(_options.NetworkSecurityGroup ?? _options.Name), "The network security group to create, or whose rules to replace.");
        WriteParameter(writer, "location", "[resourceGroup().location]", "Where to create it: the resource group's location by default.");
        writer.WriteEndObject();

        writer.WriteStartArray("resources");
        writer.WriteStartObject();
        writer.WriteString("type", NsgResource.Type);
        writer.WriteString("apiVersion", NsgResource.ApiVersion);
        writer.WriteString("name", "[parameters('networkSecurityGroupName')]");
        writer.WriteString("location", "[parameters('location')]");
        writer.WriteStartObject("properties");
        writer.WriteStartArray("securityRules");
        foreach (NsgRule rule in plan.SecurityRules)
        {
            writer.WriteStartObject();
            writer.WriteString("name", ArmString.Literal(rule.Name));
            writer.WriteStartObject("properties");
            foreach (NsgProperty property in rule.Properties(_options.Comments))
            {
                WriteProperty(writer, property);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteStartObject("outputs");
        writer.WriteStartObject("networkSecurityGroupId");
        writer.WriteString("type", "string");
        writer.WriteString("value", $"[resourceId('{NsgResource.Type}', parameters('networkSecurityGroupName'))]");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteParameter(Utf8JsonWriter writer, string name, string defaultValue, string description)
    {
        writer.WriteStartObject(name);
        writer.WriteString("type", "string");
        writer.WriteString("defaultValue", defaultValue);
        writer.WriteStartObject("metadata");
        writer.WriteString(DescriptionProperty, description);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteProperty(Utf8JsonWriter writer, NsgProperty property)
    {
        if (property.Number is int number)
        {
            writer.WriteNumber(property.Key, number);
        }
        else if (property.List is IReadOnlyList<string> list)
        {
            WriteLiterals(writer, property.Key, list);
        }
        else
        {
            writer.WriteString(property.Key, ArmString.Literal(property.Text!));
        }
    }

    private static void WriteLiterals(Utf8JsonWriter writer, string property, IEnumerable<string> values)
    {
        writer.WriteStartArray(property);
        foreach (string value in values)
        {
            writer.WriteStringValue(ArmString.Literal(CommentText.SingleLine(value)));
        }

        writer.WriteEndArray();
    }
}
