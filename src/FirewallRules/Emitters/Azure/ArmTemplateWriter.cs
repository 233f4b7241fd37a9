using System.Text.Json;
using FirewallRules.Emitters.Cloud;

namespace FirewallRules.Emitters.Azure;

/// <summary>
/// Writes an <see cref="AzureTemplate"/> as an ARM template (JSON, through <see cref="JsonText"/>): every literal through
/// <see cref="ArmString"/>, the template's own expressions in brackets, and each resource's <c>dependsOn</c>.
/// </summary>
internal static class ArmTemplateWriter
{
    // A JSON property name, spelled once.
    private static readonly JsonEncodedText DescriptionProperty = JsonEncodedText.Encode("description");

    /// <summary>The template as JSON, ending with a newline.</summary>
    public static string Write(AzureTemplate template) => JsonText.Write(writer => WriteTemplate(writer, template)) + "\n";

    private static void WriteTemplate(Utf8JsonWriter writer, AzureTemplate template)
    {
        writer.WriteStartObject();
        writer.WriteString("$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#");
        writer.WriteString("contentVersion", "1.0.0.0");
        if (template.Header is TemplateHeader header)
        {
            writer.WriteStartObject("metadata");
            writer.WriteString(DescriptionProperty, ArmString.Literal(CommentText.SingleLine(header.Description)));
            WriteLines(writer, "provenance", header.Provenance);
            WriteLines(writer, "notes", header.Notes);
            writer.WriteEndObject();
        }

        writer.WriteStartObject("parameters");
        foreach (TemplateParameter parameter in template.Parameters)
        {
            writer.WriteStartObject(parameter.Name);
            writer.WriteString("type", "string");
            if (parameter.Default is TemplateValue value)
            {
                writer.WritePropertyName("defaultValue");
                WriteValue(writer, value);
            }

            writer.WriteStartObject("metadata");
            writer.WriteString(DescriptionProperty, parameter.Description);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartArray("resources");
        foreach (TemplateResource resource in template.Resources)
        {
            WriteResource(writer, resource);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("outputs");
        foreach (TemplateOutput output in template.Outputs)
        {
            writer.WriteStartObject(output.Name);
            writer.WriteString("type", "string");
            writer.WritePropertyName("value");
            WriteValue(writer, output.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteResource(Utf8JsonWriter writer, TemplateResource resource)
    {
        writer.WriteStartObject();
        writer.WriteString("type", resource.Type);
        writer.WriteString("apiVersion", resource.ApiVersion);
        writer.WritePropertyName("name");
        WriteValue(writer, resource.ArmName);
        if (resource.Location is TemplateValue location)
        {
            writer.WritePropertyName("location");
            WriteValue(writer, location);
        }

        if (resource.DependsOn.Count > 0)
        {
            writer.WriteStartArray("dependsOn");
            foreach (TemplateResource dependency in resource.DependsOn)
            {
                WriteValue(writer, dependency.Id);
            }

            writer.WriteEndArray();
        }

        writer.WritePropertyName("properties");
        WriteValue(writer, resource.Properties);
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, TemplateValue value)
    {
        switch (value)
        {
            case TemplateValue.Text text:
                writer.WriteStringValue(ArmString.Literal(text.Value));
                break;
            case TemplateValue.Number number:
                writer.WriteNumberValue(number.Value);
                break;
            case TemplateValue.Flag flag:
                writer.WriteBooleanValue(flag.Value);
                break;
            case TemplateValue.Expression expression:
                writer.WriteStringValue($"[{expression.Arm}]");
                break;
            case TemplateValue.List list:
                writer.WriteStartArray();
                foreach (TemplateValue item in list.Items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case TemplateValue.Object obj:
                writer.WriteStartObject();
                foreach ((string key, TemplateValue property) in obj.Properties)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, property);
                }

                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteLines(Utf8JsonWriter writer, string property, IEnumerable<string> lines)
    {
        writer.WriteStartArray(property);
        foreach (string line in lines)
        {
            writer.WriteStringValue(ArmString.Literal(CommentText.SingleLine(line)));
        }

        writer.WriteEndArray();
    }
}
