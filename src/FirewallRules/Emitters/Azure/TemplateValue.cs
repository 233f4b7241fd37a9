namespace FirewallRules.Emitters.Azure;

/// <summary>
/// A value in an Azure template, as both template languages hold it: ARM (JSON) and Bicep spell the same value in their
/// own syntax (<see cref="ArmTemplateWriter"/>, <see cref="BicepTemplateWriter"/>), so the two formats cannot differ in
/// what they declare.
/// </summary>
internal abstract record TemplateValue
{
    private TemplateValue()
    {
    }

    /// <summary>A literal string: escaped for each language, never evaluated.</summary>
    public sealed record Text(string Value) : TemplateValue;

    /// <summary>An integer.</summary>
    public sealed record Number(int Value) : TemplateValue;

    /// <summary>A boolean.</summary>
    public sealed record Flag(bool Value) : TemplateValue;

    /// <summary>
    /// An expression the template writes itself (never data): <paramref name="Arm"/> without its brackets, the same in
    /// Bicep, and the resources it refers to (an ARM template depends on them; Bicep infers that from the reference).
    /// </summary>
    public sealed record Expression(string Arm, string Bicep, IReadOnlyList<TemplateResource> References) : TemplateValue;

    /// <summary>An array.</summary>
    public sealed record List(IReadOnlyList<TemplateValue> Items) : TemplateValue;

    /// <summary>An object, its properties in order.</summary>
    public sealed record Object(IReadOnlyList<(string Key, TemplateValue Value)> Properties) : TemplateValue
    {
        /// <summary>Every expression inside the object, at any depth.</summary>
        public IEnumerable<Expression> Expressions() => Properties.SelectMany(p => ExpressionsIn(p.Value));
    }

    /// <summary>An ARM expression's string argument: single-quoted, a quote doubled.</summary>
    public static string ArmArgument(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static IEnumerable<Expression> ExpressionsIn(TemplateValue value) => value switch
    {
        Expression expression => [expression],
        List list => list.Items.SelectMany(ExpressionsIn),
        Object obj => obj.Expressions(),
        _ => [],
    };
}
