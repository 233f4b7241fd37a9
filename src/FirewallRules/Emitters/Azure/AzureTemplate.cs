namespace FirewallRules.Emitters.Azure;

/// <summary>
/// An Azure deployment as the ARM and Bicep formats both write it: parameters, resources and outputs, in order.
/// Planned once, spelled by <see cref="ArmTemplateWriter"/> and <see cref="BicepTemplateWriter"/>.
/// </summary>
/// <param name="Header">What the template says about itself; null without comments.</param>
/// <param name="Parameters">The inputs of a deployment.</param>
/// <param name="Resources">The resources, each after those it depends on.</param>
/// <param name="Outputs">What a deployment returns.</param>
internal sealed record AzureTemplate(
    TemplateHeader? Header, IReadOnlyList<TemplateParameter> Parameters, IReadOnlyList<TemplateResource> Resources, IReadOnlyList<TemplateOutput> Outputs);
