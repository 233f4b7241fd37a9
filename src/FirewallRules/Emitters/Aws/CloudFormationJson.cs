using System.Globalization;
using System.Text;
using System.Text.Json;
using FirewallRules.Advice;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// The pieces of a CloudFormation template (JSON) that every AWS template writes the same way: the template's
/// head, parameters, intrinsic functions, Name tags and logical ids, and the template limits.
/// </summary>
internal static class CloudFormationJson
{
    /// <summary>CloudFormation's limit on resources in one template.</summary>
    public const int MaxResources = 500;

    /// <summary>
    /// The most bytes of a template passed in the request, as <c>aws cloudformation deploy --template-file</c> does
    /// without <c>--s3-bucket</c> (CloudFormation's "template body size in a request").
    /// </summary>
    public const int MaxRequestTemplateBytes = 51_200;

    /// <summary>The most bytes of a template CloudFormation reads from S3 (its "template body size in an Amazon S3 object", 1 MB).</summary>
    public const int MaxS3TemplateBytes = 1_000_000;

    private const int MaxTemplateDescriptionBytes = 1024;

    /// <summary>A JSON property name, not a type's Description (CA1507).</summary>
    public static readonly JsonEncodedText DescriptionProperty = JsonEncodedText.Encode("Description");

    /// <summary>Refuses a template of more than <see cref="MaxResources"/> resources.</summary>
    /// <exception cref="RuleGenerationException">There are more.</exception>
    public static void RequireResources(int resources)
    {
        if (resources > MaxResources)
        {
            throw new RuleGenerationException(
                $"the template would need {resources} resources, more than CloudFormation's {MaxResources}",
                new SettingAdvice("set a prefix budget ({0})", SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.MaxPrefixesPerRule))));
        }
    }

    /// <summary>
    /// Writes the template that <paramref name="writeTemplate"/> writes to <paramref name="output"/>, as text
    /// CloudFormation takes, with a final newline: indented when that fits the <see cref="MaxRequestTemplateBytes"/> of
    /// a template passed in the request, else on one line; when even that is too big to pass in the request, on one
    /// line with the deploy note (for <see cref="WriteHead"/>) that says to deploy it through S3. The sizes are counted
    /// first, without keeping the text, and the chosen form is written as it is produced.
    /// </summary>
    /// <param name="output">Where the template goes; nothing is written when it is refused.</param>
    /// <param name="writeTemplate">Writes the template; its second argument is the deploy note, or null.</param>
    /// <exception cref="RuleGenerationException">The template is over <see cref="MaxS3TemplateBytes"/> even on one line.</exception>
    public static void Write(TextWriter output, Action<Utf8JsonWriter, string?> writeTemplate)
    {
        void Plain(Utf8JsonWriter writer) => writeTemplate(writer, null);
        void ViaS3(Utf8JsonWriter writer) => writeTemplate(writer, S3Description);

        // Each size with the final newline.
        bool indented = JsonText.Measure(Plain) + 1 <= MaxRequestTemplateBytes;
        if (indented || JsonText.Measure(Plain, indented: false) + 1 <= MaxRequestTemplateBytes)
        {
            JsonText.Write(output, Plain, indented);
            output.Write('\n');
            return;
        }

        long bytes = JsonText.Measure(ViaS3, indented: false) + 1;
        if (bytes > MaxS3TemplateBytes)
        {
            throw new RuleGenerationException(
                string.Create(CultureInfo.InvariantCulture, $"the template would be {bytes:N0} bytes, more than the {MaxS3TemplateBytes:N0} CloudFormation reads from S3"),
                new SettingAdvice("set a prefix budget ({0})", SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.MaxPrefixesPerRule))));
        }

        JsonText.Write(output, ViaS3, indented: false);
        output.Write('\n');
    }

    /// <summary>
    /// What to tell the user about deploying a template of <paramref name="bytes"/> UTF-8 bytes, as rendered by
    /// <see cref="Write"/>: that it must go through S3 when it is over <see cref="MaxRequestTemplateBytes"/>; null when
    /// it can be passed in the request.
    /// </summary>
    public static string? DeployNote(long bytes) =>
        bytes <= MaxRequestTemplateBytes
            ? null
            : string.Create(
                CultureInfo.InvariantCulture, $"the template is {bytes:N0} bytes, over the {MaxRequestTemplateBytes:N0} CloudFormation takes in a request: {DeployThroughS3}");

    private const string DeployThroughS3 = "deploy it through S3, e.g. aws cloudformation deploy --template-file FILE --s3-bucket BUCKET --stack-name NAME";

    // What a template too big to pass in the request says first in its Description.
    private static string S3Description { get; } = string.Create(CultureInfo.InvariantCulture,
        $"This template is over the {MaxRequestTemplateBytes:N0} bytes CloudFormation takes in a request: {DeployThroughS3}.");

    /// <summary>
    /// Opens the template object and writes its format version, then, with <paramref name="comments"/>, its
    /// <c>Description</c> (<paramref name="lead"/> and the provenance of <paramref name="rules"/>) and
    /// <c>Metadata.FirewallRules</c> (the provenance and <paramref name="notes"/>). A <paramref name="deployNote"/>
    /// (from <see cref="Write"/>) opens the <c>Description</c>, which is then written with or without comments.
    /// </summary>
    public static void WriteHead(Utf8JsonWriter writer, bool comments, string lead, RuleSet rules, IEnumerable<string> notes, string? deployNote)
    {
        writer.WriteStartObject();
        writer.WriteString("AWSTemplateFormatVersion", "2010-09-09");
        if (!comments)
        {
            if (deployNote is not null)
            {
                writer.WriteString(DescriptionProperty, deployNote);
            }

            return;
        }

        IReadOnlyList<string> provenance = CommentText.SingleLines(rules.Describe());
        writer.WriteString(DescriptionProperty, TemplateDescription(deployNote is null ? lead : deployNote + " " + lead, provenance));
        writer.WriteStartObject("Metadata");
        writer.WriteStartObject("FirewallRules");
        WriteStrings(writer, "Provenance", provenance);
        WriteStrings(writer, "Notes", notes);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes a member of <c>Parameters</c>: its type, description and, when given, the pattern it must match.</summary>
    public static void WriteParameter(Utf8JsonWriter writer, string name, string type, string description, string? pattern = null)
    {
        writer.WriteStartObject(name);
        writer.WriteString("Type", type);
        writer.WriteString(DescriptionProperty, description);
        if (pattern is not null)
        {
            writer.WriteString("AllowedPattern", pattern);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes <c>"property": { "Ref": target }</c>.</summary>
    public static void WriteRef(Utf8JsonWriter writer, string property, string target)
    {
        writer.WriteStartObject(property);
        writer.WriteString("Ref", target);
        writer.WriteEndObject();
    }

    /// <summary>The template's <c>Outputs</c>: one, <c>{id}Arn</c>, the resource's ARN attribute with its description.</summary>
    public static void WriteArnOutput(Utf8JsonWriter writer, string id, string attribute, string description)
    {
        writer.WriteStartObject("Outputs");
        writer.WriteStartObject(id + "Arn");
        writer.WriteString(DescriptionProperty, description);
        writer.WriteStartObject("Value");
        WriteGetAtt(writer, id, attribute);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>"Fn::GetAtt": [resource, attribute]</c> inside an object.</summary>
    public static void WriteGetAtt(Utf8JsonWriter writer, string resource, string attribute)
    {
        writer.WriteStartArray("Fn::GetAtt");
        writer.WriteStringValue(resource);
        writer.WriteStringValue(attribute);
        writer.WriteEndArray();
    }

    /// <summary>Writes a <c>Tags</c> list (or <paramref name="property"/>, for resources that name it differently) holding the Name tag.</summary>
    public static void WriteNameTag(Utf8JsonWriter writer, string name, string property = "Tags")
    {
        writer.WriteStartArray(property);
        writer.WriteStartObject();
        writer.WriteString("Key", "Name");
        writer.WriteString("Value", name);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    /// <summary>CloudFormation logical ids are alphanumeric: <c>datadog-egress-1</c> becomes <c>DatadogEgress1</c>.</summary>
    public static string LogicalId(string name) =>
        string.Concat(name.Split('-', '_').Where(part => part.Length > 0).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    private static void WriteStrings(Utf8JsonWriter writer, string property, IEnumerable<string> values)
    {
        writer.WriteStartArray(property);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    // A sentence saying what the template is, then the provenance sentences, cut to CloudFormation's 1024 bytes.
    private static string TemplateDescription(string lead, IReadOnlyList<string> provenance)
    {
        // Cut at the last whole character within CloudFormation's limit, in one pass.
        string text = lead + " " + string.Join(" ", provenance.Select(line => line.Trim()));
        int bytes = 0;
        int length = 0;
        foreach (Rune character in text.EnumerateRunes())
        {
            if ((bytes += character.Utf8SequenceLength) > MaxTemplateDescriptionBytes)
            {
                break;
            }

            length += character.Utf16SequenceLength;
        }

        return text[..length];
    }
}
