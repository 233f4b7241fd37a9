using FirewallRules.PrivateLink;

namespace FirewallRules.Emitters.Azure;

/// <summary>
/// An Azure Private Link plan as an ARM template or Bicep: the endpoints' NSG planned from the prepared rules, the
/// template (<see cref="AzurePrivateLinkTemplate"/>) spelled by <see cref="ArmTemplateWriter"/> or <see cref="BicepTemplateWriter"/>.
/// </summary>
internal sealed class AzurePrivateLinkTemplateWriter(AzureNsgOptions options, bool bicep) : IPlanWriter<AzurePrivateLinkPlan>
{
    public string Format => bicep ? "bicep" : "azure-arm";

    public EmitterOptions Options => options;

    public RuleSet RulesOf(AzurePrivateLinkPlan plan) => plan.Rules;

    public void Write(AzurePrivateLinkPlan plan, PreparedRules rules, TextWriter output)
    {
        NsgPlan nsg = NsgPlan.Create(rules, options);
        string heading = $"{(bicep ? "Bicep" : "an ARM template")} (fwrules privatelink, format {Format})";
        AzureTemplate template = AzurePrivateLinkTemplate.Create(plan, nsg, options, heading);
        if (bicep)
        {
            BicepTemplateWriter.Write(template, output);
        }
        else
        {
            output.Write(ArmTemplateWriter.Write(template));
        }
    }
}
