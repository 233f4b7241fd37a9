using System.Globalization;
using FirewallRules.Emitters.Cloud;

namespace FirewallRules.Emitters.Azure;

/// <summary>
/// Writes an <see cref="AzureTemplate"/> as Bicep: the header as <c>//</c> comments, each parameter with its
/// <c>@description</c>, each resource (a child with <c>parent:</c>, dependencies left to Bicep, which infers them from
/// the references), objects and arrays one item per line, every literal through <see cref="BicepString"/>.
/// It compiles to the ARM template <see cref="ArmTemplateWriter"/> writes for the same template.
/// </summary>
internal static class BicepTemplateWriter
{
    private const string Indent = "  ";

    /// <summary>Writes <paramref name="template"/> to <paramref name="output"/>.</summary>
    public static void Write(AzureTemplate template, TextWriter output)
    {
        if (template.Header is TemplateHeader header)
        {
            CommentText.Write(output, "//", [header.Description, .. header.Provenance, .. header.Notes]);
            output.Write('\n');
        }

        foreach (TemplateParameter parameter in template.Parameters)
        {
            output.Write($"@description({BicepString.Quote(parameter.Description)})\n");
            output.Write($"param {parameter.Name} string");
            if (parameter.Default is TemplateValue value)
            {
                output.Write(" = ");
                WriteValue(output, value, string.Empty);
            }

            output.Write("\n\n");
        }

        foreach (TemplateResource resource in template.Resources)
        {
            output.Write($"resource {resource.Symbol} '{resource.Type}@{resource.ApiVersion}' = {{\n");
            if (resource.Parent is TemplateResource parent)
            {
                output.Write($"{Indent}parent: {parent.Symbol}\n");
            }

            WriteProperty(output, "name", resource.Name, Indent);
            if (resource.Location is TemplateValue location)
            {
                WriteProperty(output, "location", location, Indent);
            }

            WriteProperty(output, "properties", resource.Properties, Indent);
            output.Write("}\n\n");
        }

        foreach (TemplateOutput result in template.Outputs)
        {
            output.Write($"output {result.Name} string = {result.Value.Bicep}\n");
        }
    }

    private static void WriteProperty(TextWriter output, string key, TemplateValue value, string indent)
    {
        output.Write($"{indent}{key}: ");
        WriteValue(output, value, indent);
        output.Write('\n');
    }

    private static void WriteValue(TextWriter output, TemplateValue value, string indent)
    {
        switch (value)
        {
            case TemplateValue.Text text:
                output.Write(BicepString.Quote(text.Value));
                break;
            case TemplateValue.Number number:
                output.Write(number.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case TemplateValue.Flag flag:
                output.Write(flag.Value ? "true" : "false");
                break;
            case TemplateValue.Expression expression:
                output.Write(expression.Bicep);
                break;
            case TemplateValue.List list:
                output.Write("[\n");
                foreach (TemplateValue item in list.Items)
                {
                    output.Write(indent + Indent);
                    WriteValue(output, item, indent + Indent);
                    output.Write('\n');
                }

                output.Write(indent + "]");
                break;
            case TemplateValue.Object { Properties.Count: 0 }:
                output.Write("{}");
                break;
            case TemplateValue.Object obj:
                output.Write("{\n");
                foreach ((string key, TemplateValue property) in obj.Properties)
                {
                    WriteProperty(output, key, property, indent + Indent);
                }

                output.Write(indent + "}");
                break;
        }
    }
}
