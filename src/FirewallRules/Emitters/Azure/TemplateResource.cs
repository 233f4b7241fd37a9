namespace FirewallRules.Emitters.Azure;

/// <summary>One resource of an Azure template.</summary>
/// <param name="Symbol">Bicep's symbolic name for it: an identifier.</param>
/// <param name="Type">The full resource type, e.g. <c>Microsoft.Network/privateDnsZones/A</c>.</param>
/// <param name="ApiVersion">The API version of the type.</param>
/// <param name="Name">The name: within <paramref name="Parent"/> for a child resource, whose name is then a literal.</param>
/// <param name="Location">Where it is created; null for a child resource that has none.</param>
/// <param name="Properties">Its <c>properties</c>.</param>
/// <param name="Parent">The resource a child resource belongs to (a DNS zone's records and links); null for a top-level one.</param>
internal sealed record TemplateResource(
    string Symbol, string Type, string ApiVersion, TemplateValue Name, TemplateValue? Location, TemplateValue.Object Properties,
    TemplateResource? Parent = null)
{
    /// <summary>The resource's id, as the template refers to it.</summary>
    public TemplateValue.Expression Id => new($"resourceId({TemplateValue.ArmArgument(Type)}, {string.Join(", ", ArmNameSegments())})", $"{Symbol}.id", [this]);

    /// <summary>The resources deployed before this one: its parent and every resource its properties refer to.</summary>
    public IReadOnlyList<TemplateResource> DependsOn =>
        [.. (Parent is null ? Array.Empty<TemplateResource>() : [Parent]).Concat(Properties.Expressions().SelectMany(e => e.References)).Distinct()];

    /// <summary>The name as ARM writes it: a child's is its parent's name, <c>/</c>, and its own.</summary>
    public TemplateValue ArmName => Parent is null ? Name : new TemplateValue.Text($"{ParentText}/{Text(Name)}");

    // resourceId's name arguments: one per level, literals quoted, a parameter's value as its expression.
    private IEnumerable<string> ArmNameSegments() =>
        (Parent is null ? Array.Empty<string>() : [TemplateValue.ArmArgument(ParentText)])
            .Append(Name is TemplateValue.Expression expression ? expression.Arm : TemplateValue.ArmArgument(Text(Name)));

    private string ParentText => Text(Parent!.Name);

    private static string Text(TemplateValue name) => ((TemplateValue.Text)name).Value;
}
