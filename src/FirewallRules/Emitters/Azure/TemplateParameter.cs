namespace FirewallRules.Emitters.Azure;

/// <summary>A string parameter of an Azure template.</summary>
/// <param name="Name">The parameter's name: an identifier the template chooses.</param>
/// <param name="Description">What to pass.</param>
/// <param name="Default">The default value; null when the deployment must pass one.</param>
internal sealed record TemplateParameter(string Name, string Description, TemplateValue? Default = null)
{
    /// <summary>The parameter's value, as the template refers to it.</summary>
    public TemplateValue.Expression Value => new($"parameters({TemplateValue.ArmArgument(Name)})", Name, []);

    /// <summary>The <c>location</c> parameter, defaulting to the resource group's location.</summary>
    public static TemplateParameter Location(string description) =>
        new("location", description, new TemplateValue.Expression("resourceGroup().location", "resourceGroup().location", []));
}
