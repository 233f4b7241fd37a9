namespace FirewallRules.Emitters.Azure;

/// <summary>The network security group the ARM and Bicep templates declare, built in one place so every template declares the same.</summary>
internal static class NsgResource
{
    /// <summary>The resource type.</summary>
    public const string Type = "Microsoft.Network/networkSecurityGroups";

    /// <summary>The Microsoft.Network API version of the resource.</summary>
    public const string ApiVersion = "2024-05-01";

    /// <summary>The parameter naming the NSG, defaulting to <see cref="AzureNsgOptions.NetworkSecurityGroup"/> or <see cref="EmitterOptions.Name"/>.</summary>
    public static TemplateParameter NameParameter(AzureNsgOptions options) =>
        new("networkSecurityGroupName", "The network security group to create, or whose rules to replace.", new TemplateValue.Text(options.NetworkSecurityGroup ?? options.Name));

    /// <summary>The NSG named by <paramref name="name"/> with <paramref name="plan"/>'s security rules inline (descriptions when <paramref name="comments"/>).</summary>
    public static TemplateResource For(NsgPlan plan, bool comments, TemplateParameter name, TemplateValue location) =>
        new("networkSecurityGroup", Type, ApiVersion, name.Value, location, new TemplateValue.Object(
        [
            ("securityRules", new TemplateValue.List([.. plan.SecurityRules.Select(rule => new TemplateValue.Object(
            [
                ("name", new TemplateValue.Text(rule.Name)),
                ("properties", new TemplateValue.Object([.. rule.Properties(comments).Select(property => (property.Key, Value(property))) ])),
            ]))])),
        ]));

    /// <summary>The template of the NSG formats (<paramref name="format"/>): the NSG alone, its name and location as parameters.</summary>
    public static AzureTemplate Template(NsgPlan plan, AzureNsgOptions options, string format)
    {
        TemplateParameter name = NameParameter(options);
        TemplateParameter location = TemplateParameter.Location("Where to create it: the resource group's location by default.");
        TemplateResource nsg = For(plan, options.Comments, name, location.Value);
        TemplateHeader? header = options.Comments
            ? new($"Datadog IP ranges as an Azure network security group (fwrules format {format}).", plan.Rules.Describe(),
                ["Deploying sets the NSG's whole rule list: rules added to it by other means are removed.", .. plan.Notes])
            : null;
        return new AzureTemplate(header, [name, location], [nsg], [IdOutput(nsg)]);
    }

    /// <summary>The output that gives the NSG's id, to associate it with a subnet.</summary>
    public static TemplateOutput IdOutput(TemplateResource nsg) => new("networkSecurityGroupId", nsg.Id);

    private static TemplateValue Value(NsgProperty property) =>
        property.Number is int number ? new TemplateValue.Number(number)
        : property.List is IReadOnlyList<string> list ? new TemplateValue.List([.. list.Select(item => new TemplateValue.Text(item))])
        : new TemplateValue.Text(property.Text!);
}
