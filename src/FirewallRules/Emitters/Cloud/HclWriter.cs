namespace FirewallRules.Emitters.Cloud;

/// <summary>
/// The HCL blocks every Terraform output writes the same way, formatted as <c>terraform fmt</c> formats them, so that
/// formatting the output changes nothing. Values are written as given: quote strings with <see cref="HclString"/>.
/// </summary>
internal static class HclWriter
{
    /// <summary>
    /// The format every Terraform output of the <c>hashicorp/aws</c> provider and every private connectivity plan in
    /// Terraform is named by: the AWS security groups, and the AWS, Azure and Google Cloud plans.
    /// </summary>
    public const string TerraformFormat = "terraform";

    /// <summary>Writes attributes aligned on '=' as terraform fmt writes them.</summary>
    public static void WriteAttributes(TextWriter output, string indent, IReadOnlyList<(string Key, string Value)> attributes) =>
        WriteAttributes(output, indent, attributes, attributes.Max(a => a.Key.Length));

    /// <summary>Writes attributes aligned on '=' at <paramref name="width"/>, the longest key of the block they are part of.</summary>
    public static void WriteAttributes(TextWriter output, string indent, IReadOnlyList<(string Key, string Value)> attributes, int width)
    {
        foreach ((string key, string value) in attributes)
        {
            WriteKey(output, indent, key, width);
            output.Write(value);
            output.Write('\n');
        }
    }

    /// <summary>Writes an attribute's key aligned on '=' at <paramref name="width"/>, up to its value: the caller writes the value and the line's end.</summary>
    public static void WriteKey(TextWriter output, string indent, string key, int width) => output.Write($"{indent}{key.PadRight(width)} = ");

    /// <summary>
    /// Writes the <c>terraform</c> block that requires the hashicorp/aws provider at <paramref name="minimumVersion"/>
    /// or later, so that <c>terraform init</c> refuses a provider without the resources the output uses.
    /// </summary>
    public static void WriteRequiredProviders(TextWriter output, string minimumVersion)
    {
        output.Write("terraform {\n  required_providers {\n    aws = {\n");
        WriteAttributes(output, "      ", [("source", HclString.Quote("hashicorp/aws")), ("version", HclString.Quote($">= {minimumVersion}"))]);
        output.Write("    }\n  }\n}\n");
    }

    /// <summary>Writes a resource's <c>tags</c> map holding the Name tag, after a blank line.</summary>
    public static void WriteNameTag(TextWriter output, string name)
    {
        output.Write("\n  tags = {\n");
        WriteAttributes(output, "    ", [("Name", HclString.Quote(name))]);
        output.Write("  }\n");
    }

    /// <summary>Writes a <c>variable</c> block, with a <c>validation</c> block when <paramref name="validation"/> is given.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="name">The variable's name.</param>
    /// <param name="description">Its description, as text.</param>
    /// <param name="type">Its type expression, e.g. <c>string</c>.</param>
    /// <param name="validation">The condition expression and the error message (as text), or null.</param>
    public static void WriteVariable(TextWriter output, string name, string description, string type, (string Condition, string Error)? validation = null)
    {
        output.Write($"variable {HclString.Quote(name)} {{\n");
        WriteAttributes(output, "  ", [("description", HclString.Quote(description)), ("type", type)]);
        if (validation is (string condition, string error))
        {
            output.Write("\n  validation {\n");
            WriteAttributes(output, "    ", [("condition", condition), ("error_message", HclString.Quote(error))]);
            output.Write("  }\n");
        }

        output.Write("}\n");
    }
}
